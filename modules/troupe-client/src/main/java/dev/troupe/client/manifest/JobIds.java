package dev.troupe.client.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Deterministic jobIds for manifest jobs: {@code <batchId>:<character>:<motion>:<prompt>}. Each part
 * keeps {@code A-Z a-z 0-9 . _ -} and has any other character replaced by {@code _}; an id longer than
 * {@value #MAX_LENGTH} characters is cut and ends with a hash of the full id, so it stays unique. The
 * same manifest therefore always yields the same ids, and workers never pay for a resent job twice.
 */
public final class JobIds {

    public static final int MAX_LENGTH = 128;
    /** The jobId rule of {@code troupe.motion-job/v1}. */
    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int HASH_HEX = 12;

    private JobIds() {
    }

    /** The id of one combination of a batch. */
    public static String derive(String batchId, String character, String motion, String prompt) {
        return join(List.of(batchId, character, motion, prompt));
    }

    /** Joins parts with {@code :} after replacing unsafe characters, shortening with a hash when too long. */
    public static String join(List<String> parts) {
        String raw = String.join(":", parts);
        String id = String.join(":", parts.stream().map(JobIds::part).toList());
        if (id.length() <= MAX_LENGTH) {
            return id;
        }
        String hash = sha256Hex(raw).substring(0, HASH_HEX);
        return id.substring(0, MAX_LENGTH - HASH_HEX - 1) + "-" + hash;
    }

    /** A short stable hash of a text (16 hex digits of its SHA-256), for ids derived from content. */
    public static String hash(String text) {
        return sha256Hex(text).substring(0, 16);
    }

    static String part(String text) {
        String safe = UNSAFE.matcher(text).replaceAll("_");
        return safe.isEmpty() ? "_" : safe;
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
