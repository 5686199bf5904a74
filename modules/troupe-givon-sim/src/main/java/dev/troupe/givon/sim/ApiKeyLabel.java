package dev.troupe.givon.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A stable, non-secret name for an API key ({@code key-1a2b3c4d}), used wherever the simulator
 * records or shows per-key figures: the key itself never leaves the auth check.
 */
final class ApiKeyLabel {

    private ApiKeyLabel() {
    }

    static String of(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return "key-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
