package dev.troupe.model;

import static dev.troupe.model.RecordFields.instant;
import static dev.troupe.model.RecordFields.integer;
import static dev.troupe.model.RecordFields.oneOf;
import static dev.troupe.model.RecordFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.model.RecordFields.Refused;
import java.time.Instant;
import java.util.Objects;

/**
 * The JSON (UTF-8) wire form of a {@link ProgressEvent} on {@code troupe.progress}:
 * {@code {"schema":"troupe.progress/v1","kind","jobId","run","batchId","tenant","at","worker", ...}} and,
 * by kind, {@code resumesAt}, {@code reason}, {@code generationId}, {@code attempt}, {@code retryAt},
 * {@code status}. A field another kind carries is not written, and ignored when read. Thread-safe;
 * {@link #decode} never throws.
 */
public final class ProgressCodec {

    /** An event is a few hundred bytes. */
    public static final int MAX_RECORD_BYTES = 4 * 1024;

    /** What a record value turned out to be. */
    public sealed interface Decoded {}

    public record Event(ProgressEvent event) implements Decoded {}

    /** Not an event: the field at fault and why, bounded, on one line. */
    public record Unreadable(String field, String reason) implements Decoded {
        public Unreadable {
            field = Texts.clip(field, 200);
            reason = Violation.display(Texts.clip(reason, 600));
        }
    }

    /** @throws IllegalArgumentException naming the field and the rule the event breaks */
    public byte[] encode(ProgressEvent event) {
        Objects.requireNonNull(event, "event");
        try {
            requireMatch(event.jobId(), JobReader.ID, "jobId", JobReader.MAX_ID);
            if (event.batchId() != null) {
                requireMatch(event.batchId(), JobReader.ID, "batchId", JobReader.MAX_ID);
            }
            if (event.tenant() != null) {
                requireMatch(event.tenant(), JobReader.TENANT, "tenant", JobReader.MAX_TENANT);
            }
            if (event.worker() != null) {
                requireMatch(event.worker(), JobResult.WORKER, "worker", JobResult.MAX_WORKER_CHARS);
            }
            if (event.generationId() != null) {
                requireGenerationId(event.generationId());
            }
            if (event.attempt() > JournalReader.MAX_ATTEMPT) {
                throw new Refused("attempt", "attempt must be at most " + JournalReader.MAX_ATTEMPT + ", got " + event.attempt());
            }
        } catch (Refused e) {
            throw new IllegalArgumentException("progress event " + event.kind() + " of " + event.runKey() + " cannot be written: "
                    + e.getMessage(), e);
        }
        return JsonOut.bytes(out -> {
            out.writeStartObject();
            out.writeStringField("schema", ProgressEvent.SCHEMA);
            out.writeStringField("kind", event.kind().name());
            out.writeStringField("jobId", event.jobId());
            out.writeNumberField("run", event.run());
            JsonOut.stringIfPresent(out, "batchId", event.batchId());
            JsonOut.stringIfPresent(out, "tenant", event.tenant());
            out.writeStringField("at", event.at().toString());
            JsonOut.stringIfPresent(out, "worker", event.worker());
            switch (event.kind()) {
                case ADMITTED -> { }
                case PARKED -> {
                    out.writeStringField("resumesAt", event.resumesAt().toString());
                    out.writeStringField("reason", event.reason());
                }
                case HELD -> out.writeStringField("reason", event.reason());
                case SUBMITTED -> {
                    out.writeStringField("generationId", event.generationId());
                    out.writeNumberField("attempt", event.attempt());
                }
                case RETRYING -> {
                    out.writeNumberField("attempt", event.attempt());
                    out.writeStringField("reason", event.reason());
                    out.writeStringField("retryAt", event.retryAt().toString());
                }
                case FINISHED -> out.writeStringField("status", event.status().name());
            }
            out.writeEndObject();
        });
    }

    public Decoded decode(byte[] value) {
        try {
            return new Event(read(value));
        } catch (Refused e) {
            return new Unreadable(e.field, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Unreadable("", e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return new Unreadable("", "the record could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ProgressEvent read(byte[] value) {
        JsonNode root = RecordFields.object(value, MAX_RECORD_BYTES, "a progress event");
        RecordFields.schema(root, ProgressEvent.SCHEMA);
        ProgressEvent.Kind kind = oneOf(ProgressEvent.Kind.class, root, "kind");
        String jobId = requireMatch(text(root, "jobId", true), JobReader.ID, "jobId", JobReader.MAX_ID);
        int run = integer(root, "run", MotionJob.FIRST_RUN, MotionJob.MAX_RUN);
        String batchId = text(root, "batchId", false);
        if (batchId != null) {
            requireMatch(batchId, JobReader.ID, "batchId", JobReader.MAX_ID);
        }
        String tenant = text(root, "tenant", false);
        if (tenant != null) {
            requireMatch(tenant, JobReader.TENANT, "tenant", JobReader.MAX_TENANT);
        }
        Instant at = instant(root, "at");
        String worker = text(root, "worker", false);
        if (worker != null) {
            requireMatch(worker, JobResult.WORKER, "worker", JobResult.MAX_WORKER_CHARS);
        }
        Instant resumesAt = null;
        Instant retryAt = null;
        String reason = null;
        String generationId = null;
        int attempt = 0;
        JobStatus status = null;
        switch (kind) {
            case ADMITTED -> { }
            case PARKED -> {
                resumesAt = instant(root, "resumesAt");
                reason = reason(root);
            }
            case HELD -> reason = reason(root);
            case SUBMITTED -> {
                generationId = requireGenerationId(text(root, "generationId", true));
                attempt = integer(root, "attempt", JournalReader.MIN_ATTEMPT, JournalReader.MAX_ATTEMPT);
            }
            case RETRYING -> {
                attempt = integer(root, "attempt", JournalReader.MIN_ATTEMPT, JournalReader.MAX_ATTEMPT);
                reason = reason(root);
                retryAt = instant(root, "retryAt");
            }
            case FINISHED -> status = oneOf(JobStatus.class, root, "status");
        }
        return new ProgressEvent(jobId, run, batchId, tenant, kind, at, worker, resumesAt, reason, generationId, attempt, retryAt,
                status);
    }

    private static String reason(JsonNode root) {
        String reason = text(root, "reason", true);
        int length = Json.codePoints(reason);
        if (length < 1 || length > ProgressEvent.MAX_REASON) {
            throw new Refused("reason", "reason must be 1 to " + ProgressEvent.MAX_REASON + " characters, got " + length);
        }
        return reason;
    }

    private static String requireGenerationId(String value) {
        boolean printable = !value.isEmpty() && value.length() <= JournalReader.MAX_GENERATION_ID_CHARS
                && value.chars().allMatch(c -> c > ' ' && c < 0x7f);
        if (!printable) {
            throw new Refused("generationId", "generationId must be 1 to " + JournalReader.MAX_GENERATION_ID_CHARS
                    + " printable ASCII characters (no spaces), got " + JournalReader.quoted(Texts.clip(value, 40)));
        }
        return value;
    }

    private static String requireMatch(String value, java.util.regex.Pattern pattern, String field, int max) {
        if (!pattern.matcher(value).matches()) {
            throw new Refused(field, field + " must be 1 to " + max + " characters of A-Z a-z 0-9 . _ : -, got "
                    + JournalReader.quoted(Texts.clip(value, 40)));
        }
        return value;
    }

}
