package dev.troupe.model;

/**
 * Size limits that are configuration, not schema.
 *
 * @param maxDataUriBytes largest decoded payload of a {@code data:} URI asset
 * @param maxRecordBytes  largest serialized job record
 */
public record ValidationLimits(int maxDataUriBytes, int maxRecordBytes) {

    /** 700 KB of inline media and 1 MB records: under Kafka's default 1 MiB message size. */
    public static final ValidationLimits DEFAULTS = new ValidationLimits(700_000, 1_000_000);

    public ValidationLimits {
        if (maxDataUriBytes <= 0) {
            throw new IllegalArgumentException("maxDataUriBytes must be > 0, got " + maxDataUriBytes);
        }
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be > 0, got " + maxRecordBytes);
        }
    }
}
