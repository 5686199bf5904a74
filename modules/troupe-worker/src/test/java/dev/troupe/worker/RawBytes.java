package dev.troupe.worker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Bytes of records that need not be text: UTF-8 of a string, literal bytes, joins and splices. */
final class RawBytes {

    private RawBytes() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] of(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** {@code bytes} with the first occurrence of the ASCII {@code marker} replaced by {@code replacement}. */
    static byte[] splice(byte[] bytes, String marker, byte[] replacement) {
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException("no " + marker + " in the bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + replacement.length);
        out.write(bytes, 0, at);
        out.writeBytes(replacement);
        out.write(bytes, at + marker.length(), bytes.length - at - marker.length());
        return out.toByteArray();
    }
}
