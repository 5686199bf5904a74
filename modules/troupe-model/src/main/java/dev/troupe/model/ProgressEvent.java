package dev.troupe.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a job's state on a worker, on {@code troupe.progress} (schema {@value #SCHEMA}, key =
 * jobId): informative and best-effort (a worker may fail to send one; a job's outcome is its result
 * on {@code troupe.results}, never its progress). Which fields are set depends on {@link #kind}:
 *
 * <ul>
 *   <li>{@code ADMITTED}: taken (or taken again, back from parking or a pause) and queued for its budget and a slot;</li>
 *   <li>{@code PARKED}: {@code resumesAt} and {@code reason} (e.g. {@code BUDGET_EXHAUSTED}): waits until then;</li>
 *   <li>{@code HELD}: {@code reason} ({@code PAUSED}): held by {@code troupe pause} until {@code troupe resume};</li>
 *   <li>{@code SUBMITTED}: {@code generationId} and {@code attempt}: Givon accepted it;</li>
 *   <li>{@code RETRYING}: {@code attempt} (the one that failed), {@code reason} and {@code retryAt};</li>
 *   <li>{@code FINISHED}: {@code status}, its result's.</li>
 * </ul>
 *
 * @param run    the run of the job ({@link MotionJob#run})
 * @param worker the worker that moved it ({@link JobResult#workerName}); may be null
 */
public record ProgressEvent(String jobId, int run, String batchId, String tenant, Kind kind, Instant at, String worker,
                            Instant resumesAt, String reason, String generationId, int attempt, Instant retryAt, JobStatus status) {

    public static final String SCHEMA = "troupe.progress/v1";
    /** Longest reason kept, in code points. */
    public static final int MAX_REASON = 200;
    /** Why a job is parked: its tenant's budget window is spent (policy wait). */
    public static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";
    /** Why a job is held: its tenant or the fleet is paused. */
    public static final String PAUSED = "PAUSED";

    public enum Kind { ADMITTED, PARKED, HELD, SUBMITTED, RETRYING, FINISHED }

    public ProgressEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (run < MotionJob.FIRST_RUN || run > MotionJob.MAX_RUN) {
            throw new IllegalArgumentException("run must be " + MotionJob.FIRST_RUN + " to " + MotionJob.MAX_RUN + ", was " + run);
        }
        reason = reason == null ? null : Texts.clip(reason, MAX_REASON);
        switch (kind) {
            case ADMITTED -> { }
            case PARKED -> {
                need(resumesAt != null, kind, "resumesAt");
                need(reason != null && !reason.isEmpty(), kind, "reason");
            }
            case HELD -> need(reason != null && !reason.isEmpty(), kind, "reason");
            case SUBMITTED -> {
                need(generationId != null, kind, "generationId");
                need(attempt >= 1, kind, "attempt");
            }
            case RETRYING -> {
                need(retryAt != null, kind, "retryAt");
                need(reason != null && !reason.isEmpty(), kind, "reason");
                need(attempt >= 1, kind, "attempt");
            }
            case FINISHED -> need(status != null, kind, "status");
        }
    }

    private static void need(boolean holds, Kind kind, String field) {
        if (!holds) {
            throw new IllegalArgumentException("a " + kind + " event needs its " + field);
        }
    }

    public static ProgressEvent admitted(MotionJob job, Instant at, String worker) {
        return of(job, Kind.ADMITTED, at, worker, null, null, null, 0, null, null);
    }

    public static ProgressEvent parked(MotionJob job, Instant at, String worker, Instant resumesAt, String reason) {
        return of(job, Kind.PARKED, at, worker, resumesAt, reason, null, 0, null, null);
    }

    public static ProgressEvent held(MotionJob job, Instant at, String worker, String reason) {
        return of(job, Kind.HELD, at, worker, null, reason, null, 0, null, null);
    }

    public static ProgressEvent submitted(MotionJob job, Instant at, String worker, String generationId, int attempt) {
        return of(job, Kind.SUBMITTED, at, worker, null, null, generationId, attempt, null, null);
    }

    public static ProgressEvent retrying(MotionJob job, Instant at, String worker, int attempt, String reason, Instant retryAt) {
        return of(job, Kind.RETRYING, at, worker, null, reason, null, attempt, retryAt, null);
    }

    public static ProgressEvent finished(MotionJob job, Instant at, String worker, JobStatus status) {
        return of(job, Kind.FINISHED, at, worker, null, null, null, 0, null, status);
    }

    private static ProgressEvent of(MotionJob job, Kind kind, Instant at, String worker, Instant resumesAt, String reason,
                                    String generationId, int attempt, Instant retryAt, JobStatus status) {
        return new ProgressEvent(job.jobId(), job.run(), job.batchId(), job.tenant(), kind, at, worker, resumesAt, reason,
                generationId, attempt, retryAt, status);
    }

    /** This run of the job ({@link MotionJob#runKey}). */
    public String runKey() {
        return MotionJob.runKey(jobId, run);
    }
}
