package dev.troupe.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One request on {@code troupe.jobs} (schema {@value #SCHEMA}): put this motion on this character.
 * Instances come out of {@link JobCodec#decode} already validated, with defaults applied.
 *
 * @param jobId    caller-chosen or derived id, {@code [A-Za-z0-9._:-]{1,128}}; also the Kafka key and
 *                 the Givon {@code Idempotency-Key}
 * @param batchId  optional grouping for progress and export
 * @param tenant   budget key; {@code null} means the default budget
 * @param priority carried with the job (default 0); the worker does not order by it yet
 * @param metadata opaque strings echoed into the result
 * @param notAfter optional deadline: not submitted after this instant (EXPIRED instead)
 * @param model    catalog model id, default {@value ModelCatalog#DEFAULT_MODEL}
 * @param input    the validated Givon input with defaults applied
 * @param run      which run of the job this is, {@value #FIRST_RUN} to {@value #MAX_RUN}: {@code troupe retry}
 *                 sends a job again with the next run; one run is done once, a later one is a new
 *                 generation (and paid again)
 */
public record MotionJob(
        String jobId,
        String batchId,
        String tenant,
        int priority,
        Map<String, String> metadata,
        Instant notAfter,
        String model,
        GenerationInput input,
        int run) {

    public static final String SCHEMA = "troupe.motion-job/v1";
    public static final int FIRST_RUN = 1;
    public static final int MAX_RUN = 1_000;
    /** Between a jobId and its run in {@link #runKey}: not a character a jobId may hold. */
    public static final char RUN_SEPARATOR = '#';

    public MotionJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(input, "input");
        if (run < FIRST_RUN || run > MAX_RUN) {
            throw new IllegalArgumentException("run must be " + FIRST_RUN + " to " + MAX_RUN + ", was " + run);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The first run of a job. */
    public MotionJob(String jobId, String batchId, String tenant, int priority, Map<String, String> metadata, Instant notAfter,
                     String model, GenerationInput input) {
        this(jobId, batchId, tenant, priority, metadata, notAfter, model, input, FIRST_RUN);
    }

    /**
     * What identifies this run of the job to the worker, its journal, its budget and Givon's
     * {@code Idempotency-Key}: the jobId for the first run, {@code jobId#run} for a later one.
     */
    public String runKey() {
        return runKey(jobId, run);
    }

    public static String runKey(String jobId, int run) {
        return run == FIRST_RUN ? jobId : jobId + RUN_SEPARATOR + run;
    }

    /** This job as its next run. */
    public MotionJob nextRun() {
        return new MotionJob(jobId, batchId, tenant, priority, metadata, notAfter, model, input, run + 1);
    }
}
