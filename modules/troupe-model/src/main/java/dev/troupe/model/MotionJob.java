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
 */
public record MotionJob(
        String jobId,
        String batchId,
        String tenant,
        int priority,
        Map<String, String> metadata,
        Instant notAfter,
        String model,
        GenerationInput input) {

    public static final String SCHEMA = "troupe.motion-job/v1";

    public MotionJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(input, "input");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
