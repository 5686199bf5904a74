package dev.troupe.model;

import static dev.troupe.model.JsonOut.stringIfPresent;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The JSON (UTF-8) wire form of a {@link JournalEntry} on {@code troupe.state}. Thread-safe.
 *
 * <p>{@code {"schema":"troupe.journal/v1","kind":"SUBMITTING|ACCEPTED|PARKED|FINISHED","jobId","at",...}}
 * and, by kind: {@code attempt} (submitting); {@code attempt, generationId, submittedAt} (accepted);
 * {@code resumesAt, job, enqueuedAt, costTokens} (parked; {@code job} is the object {@link JobCodec#encode}
 * writes); {@code status, generationId, costTokens, attempts} (finished; tokens as an exact decimal
 * string, as in a result). Submitting and accepted entries carry {@code job} and {@code enqueuedAt}
 * too when the job resumed from a parked entry (its record is committed). Instants are ISO-8601 strings; nulls are omitted; unknown fields are
 * tolerated on read.
 */
public final class JournalCodec {

    /**
     * Largest record read or written: 1 MiB, Kafka's default message size, which holds a parked job
     * of {@link ValidationLimits#DEFAULTS}' 1,000,000-byte records and its envelope.
     */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    private final JobCodec jobs;
    private final JournalReader reader;

    /** {@code jobs} reads and validates a parked entry's job, with the worker's own catalog and limits. */
    public JournalCodec(JobCodec jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.reader = new JournalReader(jobs);
    }

    /** With {@link JobCodec#defaults()}. */
    public static JournalCodec defaults() {
        return new JournalCodec(JobCodec.defaults());
    }

    /**
     * The record value of an entry. The rules {@link #decode} applies are checked first, so that
     * nothing is written that the next owner could not read.
     *
     * @throws IllegalArgumentException naming the job, the field and the rule an entry breaks, or its
     *                                  size when it is over {@value #MAX_RECORD_BYTES} bytes
     */
    public byte[] encode(JournalEntry entry) {
        Objects.requireNonNull(entry, "entry");
        try {
            check(entry);
        } catch (JournalReader.Refused e) {
            throw new IllegalArgumentException("journal entry " + entry.kind() + " of job " + JournalReader.quoted(entry.jobId())
                    + " cannot be written: " + e.unreadable(), e);
        }
        byte[] bytes = JsonOut.bytes(out -> write(out, entry));
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("journal entry " + entry.kind() + " of job " + JournalReader.quoted(entry.jobId()) + " is "
                    + bytes.length + " bytes, more than the " + MAX_RECORD_BYTES + " a journal record may have");
        }
        return bytes;
    }

    private static void check(JournalEntry entry) {
        JournalReader.requireJobId(entry.jobId(), "jobId");
        if (entry.job() != null) {
            JournalReader.requireSameJob(entry.jobId(), entry.job());
        }
        switch (entry.kind()) {
            case SUBMITTING -> JournalReader.requireAttempt(((JournalEntry.Submitting) entry).attempt(), "attempt",
                    JournalReader.MIN_ATTEMPT);
            case ACCEPTED -> {
                JournalEntry.Accepted accepted = (JournalEntry.Accepted) entry;
                JournalReader.requireAttempt(accepted.attempt(), "attempt", JournalReader.MIN_ATTEMPT);
                JournalReader.requireGenerationId(accepted.generationId(), "generationId");
            }
            case PARKED -> JournalReader.requireCost(((JournalEntry.Parked) entry).cost());
            case FINISHED -> {
                JournalEntry.Finished finished = (JournalEntry.Finished) entry;
                if (finished.generationId() != null) {
                    JournalReader.requireGenerationId(finished.generationId(), "generationId");
                }
                JournalReader.requireCost(finished.cost());
                JournalReader.requireAttempt(finished.attempts(), "attempts", 0);
            }
        }
    }

    /**
     * Reads one record value. Never throws, whatever the bytes: anything that is not a complete, valid
     * entry (including a bug here) is {@link JournalDecodeResult.Unreadable} with the field and the
     * rule, so one record can never stop a restore. A tombstone (null) is the caller's to handle; here
     * it is unreadable like empty bytes.
     */
    public JournalDecodeResult decode(byte[] value) {
        try {
            return new JournalDecodeResult.Decoded(reader.read(tree(value)));
        } catch (JournalReader.Refused e) {
            return e.unreadable();
        } catch (RuntimeException | StackOverflowError e) {
            return new JournalDecodeResult.Unreadable("", "readable", "the record could not be read ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static JsonNode tree(byte[] value) {
        if (value == null || value.length == 0) {
            throw new JournalReader.Refused("", "not empty", "the record is empty");
        }
        if (value.length > MAX_RECORD_BYTES) {
            throw new JournalReader.Refused("", "max " + MAX_RECORD_BYTES + " bytes", "the record has " + value.length
                    + " bytes, more than the " + MAX_RECORD_BYTES + " a journal record may have");
        }
        String text;
        try {
            text = JobCodec.strictUtf8(value);
        } catch (IllegalArgumentException e) {
            throw new JournalReader.Refused("", "UTF-8", e.getMessage());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new JournalReader.Refused("", "JSON", JobCodec.notJson(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new JournalReader.Refused("", "JSON", "the record holds no JSON value");
        }
        if (!root.isObject()) {
            throw new JournalReader.Refused("", "object", "the record is JSON " + Json.describe(root) + ", not an object");
        }
        return root;
    }

    private static void write(JsonGenerator out, JournalEntry entry) throws IOException {
        out.writeStartObject();
        out.writeStringField("schema", JournalEntry.SCHEMA);
        out.writeStringField("kind", entry.kind().name());
        out.writeStringField("jobId", entry.jobId());
        stringIfPresent(out, "at", entry.at());
        switch (entry.kind()) {
            case SUBMITTING -> out.writeNumberField("attempt", ((JournalEntry.Submitting) entry).attempt());
            case ACCEPTED -> {
                JournalEntry.Accepted accepted = (JournalEntry.Accepted) entry;
                out.writeNumberField("attempt", accepted.attempt());
                out.writeStringField("generationId", accepted.generationId());
                stringIfPresent(out, "submittedAt", accepted.submittedAt());
            }
            case PARKED -> {
                JournalEntry.Parked parked = (JournalEntry.Parked) entry;
                stringIfPresent(out, "resumesAt", parked.resumesAt());
                out.writeStringField("costTokens", parked.cost().toString());
            }
            case FINISHED -> {
                JournalEntry.Finished finished = (JournalEntry.Finished) entry;
                out.writeStringField("status", finished.status().name());
                stringIfPresent(out, "generationId", finished.generationId());
                out.writeStringField("costTokens", finished.cost().toString());
                out.writeNumberField("attempts", finished.attempts());
            }
        }
        if (entry.job() != null) {
            out.writeFieldName("job");
            JobCodec.write(out, entry.job());
            stringIfPresent(out, "enqueuedAt", entry.enqueuedAt());
        }
        out.writeEndObject();
    }
}
