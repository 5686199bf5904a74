package dev.troupe.givon.sim;

import java.io.ByteArrayOutputStream;

/** Byte-level replacement, so a scripted body may hold any bytes (invalid UTF-8 included). */
final class Bytes {

    private Bytes() {
    }

    static byte[] replace(byte[] text, byte[] target, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int i = 0;
        while (i < text.length) {
            if (matchesAt(text, i, target)) {
                out.writeBytes(replacement);
                i += target.length;
            } else {
                out.write(text[i++]);
            }
        }
        return out.toByteArray();
    }

    private static boolean matchesAt(byte[] text, int at, byte[] target) {
        if (target.length == 0 || at + target.length > text.length) {
            return false;
        }
        for (int j = 0; j < target.length; j++) {
            if (text[at + j] != target[j]) {
                return false;
            }
        }
        return true;
    }
}
