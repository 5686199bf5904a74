package dev.troupe.client.results;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** File formats of a results export. */
public enum ExportFormat {
    /** One {@code troupe.job-result/v1} JSON object per line, exactly as on the topic. */
    JSONL,
    /** A header line and one row per result; metadata entries become {@code metadata.<key>} columns. */
    CSV;

    /** By file extension: {@code .csv} is CSV, {@code .jsonl}, {@code .ndjson} and {@code .json} are JSONL. */
    public static Optional<ExportFormat> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Optional.of(JSONL);
        }
        return Optional.empty();
    }
}
