package dev.troupe.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads the fields of a {@code troupe.journal/v1} object and holds the rules of an entry, which
 * {@link JournalCodec#encode} applies too, so that nothing is written that could not be read back.
 * The first broken rule stops the read ({@link Refused}): a journal record is written by a worker,
 * not a person, and one reason is enough to log. Unknown fields are tolerated (a later minor version).
 */
final class JournalReader {

    static final int MIN_ATTEMPT = 1;
    static final int MAX_ATTEMPT = 1000;
    static final int MAX_GENERATION_ID_CHARS = 256;
    /** Far more than the longest instant ({@code +1000000000-12-31T23:59:59.999999999Z}, 37 characters). */
    static final int MAX_INSTANT_CHARS = 64;

    private final JobCodec jobs;

    JournalReader(JobCodec jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    /** @throws Refused naming the first field that is missing or breaks a rule */
    JournalEntry read(JsonNode root) {
        String schema = text(root, "schema", true);
        if (!JournalEntry.SCHEMA.equals(schema)) {
            throw new Refused("schema", "schema", "schema must be \"" + JournalEntry.SCHEMA + "\"; this worker does not read "
                    + quoted(schema));
        }
        JournalEntry.Kind kind = kind(text(root, "kind", true));
        String jobId = text(root, "jobId", true);
        requireJobId(jobId, "jobId");
        Instant at = instant(root, "at", true);
        return switch (kind) {
            case SUBMITTING -> new JournalEntry.Submitting(jobId, at, integer(root, "attempt", MIN_ATTEMPT),
                    job(root, jobId, kind, false), instant(root, "enqueuedAt", false));
            case ACCEPTED -> new JournalEntry.Accepted(jobId, at, integer(root, "attempt", MIN_ATTEMPT),
                    generationId(root, true), instant(root, "submittedAt", false), job(root, jobId, kind, false),
                    instant(root, "enqueuedAt", false));
            case PARKED -> new JournalEntry.Parked(jobId, at, instant(root, "resumesAt", true), job(root, jobId, kind, true),
                    instant(root, "enqueuedAt", false), cost(text(root, "costTokens", true)));
            case FINISHED -> new JournalEntry.Finished(jobId, at, status(text(root, "status", true)), generationId(root, false),
                    cost(text(root, "costTokens", true)), integer(root, "attempts", 0));
        };
    }

    /** The job an entry carries (required in a parked one); null when absent and not required. */
    private MotionJob job(JsonNode root, String jobId, JournalEntry.Kind kind, boolean required) {
        JsonNode node = root.get("job");
        if (Json.absent(node)) {
            if (!required) {
                return null;
            }
            throw new Refused("job", "required", "job is required in a " + kind + " entry");
        }
        if (!node.isObject()) {
            throw new Refused("job", "type", "job must be an object (a " + MotionJob.SCHEMA + " job), got " + Json.describe(node));
        }
        DecodeResult job = jobs.readJob(node);
        if (job instanceof DecodeResult.Invalid invalid) {
            Violation first = invalid.violations().get(0);
            String path = first.path() == null || first.path().isEmpty() ? "job" : "job." + first.path();
            throw new Refused(path, first.rule() == null ? "valid job" : first.rule(), "the journaled job is not a valid job: " + first);
        }
        if (!(job instanceof DecodeResult.Decoded decoded)) {
            throw new Refused("job", "valid job", "the journaled job could not be read");
        }
        requireSameJob(jobId, decoded.job());
        return decoded.job();
    }

    // ---- the rules, on typed values (shared with encode) ----

    static void requireJobId(String jobId, String field) {
        if (!JobReader.RUN_KEY.matcher(jobId).matches()) {
            throw new Refused(field, "pattern " + JobReader.RUN_KEY.pattern(), field + " must be 1 to " + JobReader.MAX_ID
                    + " characters of A-Z a-z 0-9 . _ : -, and #run for a later run, got " + quoted(jobId));
        }
    }

    static void requireAttempt(int value, String field, int min) {
        if (value < min || value > MAX_ATTEMPT) {
            throw new Refused(field, "range " + min + ".." + MAX_ATTEMPT, field + " must be between " + min + " and "
                    + MAX_ATTEMPT + ", got " + value);
        }
    }

    /** 1 to 256 characters of printable ASCII without spaces: what any Givon id looks like, and safe in a log line. */
    static void requireGenerationId(String value, String field) {
        boolean printable = !value.isEmpty() && value.length() <= MAX_GENERATION_ID_CHARS
                && value.chars().allMatch(c -> c > ' ' && c < 0x7f);
        if (!printable) {
            throw new Refused(field, "1.." + MAX_GENERATION_ID_CHARS + " printable ASCII characters", field + " must be 1 to "
                    + MAX_GENERATION_ID_CHARS + " printable ASCII characters (no spaces), got " + quoted(value)
                    + " (" + value.length() + " characters)");
        }
    }

    static void requireCost(Tokens cost) {
        if (cost.isNegative()) {
            throw new Refused("costTokens", "not negative", "costTokens must not be negative, got " + cost);
        }
    }

    static void requireSameJob(String jobId, MotionJob job) {
        if (!job.runKey().equals(jobId)) {
            throw new Refused("job.jobId", "equals jobId", "the journaled job's run " + quoted(job.runKey())
                    + " is not the entry's " + quoted(jobId));
        }
    }

    /** A value from the record for a message: clipped, in JSON quotes, control characters escaped (one log line). */
    static String quoted(String value) {
        return TextNode.valueOf(Violation.display(value)).toString();
    }

    // ---- typed field readers ----

    private static JournalEntry.Kind kind(String text) {
        for (JournalEntry.Kind kind : JournalEntry.Kind.values()) {
            if (kind.name().equals(text)) {
                return kind;
            }
        }
        throw new Refused("kind", "one of " + Arrays.toString(JournalEntry.Kind.values()), "kind must be one of "
                + Arrays.toString(JournalEntry.Kind.values()) + ", got " + quoted(text));
    }

    private static JobStatus status(String text) {
        for (JobStatus status : JobStatus.values()) {
            if (status.name().equals(text)) {
                return status;
            }
        }
        throw new Refused("status", "one of " + Arrays.toString(JobStatus.values()), "status must be one of "
                + Arrays.toString(JobStatus.values()) + ", got " + quoted(text));
    }

    private static Tokens cost(String text) {
        Tokens cost;
        try {
            cost = Tokens.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refused("costTokens", "token amount", "costTokens must be a decimal token amount such as \"21\" or "
                    + "\"5.5\": " + e.getMessage());
        }
        requireCost(cost);
        return cost;
    }

    private static String generationId(JsonNode root, boolean required) {
        String value = text(root, "generationId", required);
        if (value != null) {
            requireGenerationId(value, "generationId");
        }
        return value;
    }

    private static int integer(JsonNode root, String field, int min) {
        JsonNode node = root.get(field);
        if (Json.absent(node)) {
            throw new Refused(field, "required", field + " is required");
        }
        if (!node.isIntegralNumber()) {
            throw new Refused(field, "type", field + " must be an integer, got " + Json.describe(node));
        }
        if (!node.canConvertToInt()) {
            throw new Refused(field, "range " + min + ".." + MAX_ATTEMPT, field + " must be between " + min + " and "
                    + MAX_ATTEMPT + ", got " + Violation.display(node.toString()));
        }
        requireAttempt(node.intValue(), field, min);
        return node.intValue();
    }

    private static Instant instant(JsonNode root, String field, boolean required) {
        String text = text(root, field, required);
        if (text == null) {
            return null;
        }
        if (text.length() <= MAX_INSTANT_CHARS) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new Refused(field, "ISO-8601 instant", field + " must be an ISO-8601 instant such as 2026-11-24T20:00:00Z, got "
                + quoted(text));
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (Json.absent(node)) {
            if (required) {
                throw new Refused(field, "required", field + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new Refused(field, "type", field + " must be a string, got " + Json.describe(node));
        }
        return node.textValue();
    }

    /** The first broken rule; no stack trace (it is an answer, not a bug). */
    static final class Refused extends RuntimeException {

        private final String field;
        private final String rule;

        Refused(String field, String rule, String reason) {
            super(reason, null, false, false);
            this.field = field;
            this.rule = rule;
        }

        JournalDecodeResult.Unreadable unreadable() {
            return new JournalDecodeResult.Unreadable(field, rule, getMessage());
        }
    }
}
