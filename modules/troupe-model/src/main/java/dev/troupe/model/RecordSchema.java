package dev.troupe.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The published JSON Schemas (draft 2020-12) of the records Troupe reads and writes, shipped in this
 * jar under {@code /schemas/}: one per value of a record's {@code schema} field. The codecs hold the
 * rules; a schema says the same for other languages and tools, and tests keep the two in step. What
 * JSON Schema cannot express of a codec's rules is said in the schema's {@code description}.
 * Records without a JSON value of their own (the dead letters on {@code troupe.dlq}: the original
 * bytes and {@code troupe.error.*} headers) have none.
 */
public enum RecordSchema {

    /** A job on {@code troupe.jobs}. */
    MOTION_JOB(MotionJob.SCHEMA, "troupe.jobs"),
    /** A job's one result on {@code troupe.results}. */
    JOB_RESULT(JobResult.SCHEMA, "troupe.results"),
    /** A job's latest journal entry on {@code troupe.state}. */
    JOURNAL(JournalEntry.SCHEMA, "troupe.state"),
    /** A budget record or the Givon account's hold on {@code troupe.budget}. */
    BUDGET(BudgetEntry.SCHEMA, "troupe.budget"),
    /** An operator's command on {@code troupe.control}. */
    CONTROL(ControlCommand.SCHEMA, "troupe.control"),
    /** A change of a job's state on {@code troupe.progress}. */
    PROGRESS(ProgressEvent.SCHEMA, "troupe.progress"),
    /** A batch's descriptor on {@code troupe.batches}, written by {@code troupe batch} before its jobs. */
    BATCH(BatchDescriptor.SCHEMA, "troupe.batches"),
    /** A batch's one completion event on {@code troupe.batches}, written by the batch tracker. */
    BATCH_COMPLETION(BatchCompletion.SCHEMA, "troupe.batches"),
    /** A document of {@code troupe budget --format json} (standard output, no topic). */
    BUDGET_REPORT("troupe.budget-report/v1", null),
    /** A document of {@code troupe status JOBID --format json} (standard output, no topic). */
    JOB_STATUS("troupe.job-status/v1", null);

    /** Every schema's {@code $id} is this plus its {@link #fileName()}; {@code $ref}s between them are relative. */
    public static final String BASE_URI = "https://troupe.dev/schemas/";

    private final String schemaId;
    private final String topic;

    RecordSchema(String schemaId, String topic) {
        this.schemaId = schemaId;
        this.topic = topic;
    }

    /** The value of the record's {@code schema} field, e.g. {@code troupe.motion-job/v1}. */
    public String schemaId() {
        return schemaId;
    }

    /** The default name of the topic that carries it; empty for a document a command prints. */
    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    /** {@code motion-job.schema.json}: the part of {@link #schemaId()} between {@code troupe.} and the version. */
    public String fileName() {
        return schemaId.substring("troupe.".length(), schemaId.indexOf('/')) + ".schema.json";
    }

    /** The schema's {@code $id}. */
    public URI id() {
        return URI.create(BASE_URI + fileName());
    }

    /** The class-path resource of the schema, e.g. {@code /schemas/motion-job.schema.json}. */
    public String resource() {
        return "/schemas/" + fileName();
    }

    /** The schema's text, read from this jar. */
    public String text() {
        try (InputStream in = RecordSchema.class.getResourceAsStream(resource())) {
            if (in == null) {
                throw new IllegalStateException("the schema " + resource() + " is missing from the troupe-model jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource(), e);
        }
    }

    /** The schema whose records carry {@code schemaId} in their {@code schema} field. */
    public static Optional<RecordSchema> ofSchemaId(String schemaId) {
        return Arrays.stream(values()).filter(s -> s.schemaId.equals(schemaId)).findFirst();
    }
}
