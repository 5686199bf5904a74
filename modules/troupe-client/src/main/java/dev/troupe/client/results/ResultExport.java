package dev.troupe.client.results;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Writes results to a file as JSONL or CSV (UTF-8); the file is replaced atomically where the OS allows. */
public final class ResultExport {

    static final List<String> CSV_COLUMNS = List.of("jobId", "batchId", "tenant", "status", "videoUrl", "costTokens",
            "attempts", "generationId", "errorCode", "errorMessage", "enqueuedAt", "startedAt", "submittedAt", "completedAt");

    private ResultExport() {
    }

    public static void write(Path file, ExportFormat format, Collection<JobResult> results, JobCodec codec) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory != null) {
            Files.createDirectories(directory);
        }
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                write(out, format, results, codec);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    public static void write(Writer out, ExportFormat format, Collection<JobResult> results, JobCodec codec) throws IOException {
        switch (format) {
            case JSONL -> {
                for (JobResult result : results) {
                    out.write(new String(codec.encodeResult(result), StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            case CSV -> writeCsv(out, results);
        }
    }

    private static void writeCsv(Writer out, Collection<JobResult> results) throws IOException {
        TreeSet<String> metadataKeys = new TreeSet<>();
        results.forEach(r -> metadataKeys.addAll(r.metadata().keySet()));
        List<String> header = new ArrayList<>(CSV_COLUMNS);
        metadataKeys.forEach(key -> header.add("metadata." + key));
        row(out, header);
        for (JobResult r : results) {
            List<String> cells = new ArrayList<>(List.of(
                    text(r.jobId()), text(r.batchId()), text(r.tenant()), r.status().name(), text(r.videoUrl()),
                    r.costTokens().toString(), Integer.toString(r.attempts()), text(r.generationId()),
                    r.error() == null ? "" : text(r.error().code()), r.error() == null ? "" : text(r.error().message()),
                    instant(r.timings().enqueuedAt()), instant(r.timings().startedAt()),
                    instant(r.timings().submittedAt()), instant(r.timings().completedAt())));
            metadataKeys.forEach(key -> cells.add(text(r.metadata().get(key))));
            row(out, cells);
        }
    }

    private static void row(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quoted(cells.get(i)));
        }
        out.write("\r\n");
    }

    /** RFC 4180: quote cells holding a comma, quote or line break; double inner quotes. */
    static String quoted(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String instant(Instant value) {
        return value == null ? "" : value.toString();
    }
}
