package dev.troupe.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one terminal event per job on {@code troupe.results} (schema {@value #SCHEMA}).
 *
 * @param costTokens tokens this job is accounted at (the estimate, or what Givon reported); zero when
 *                   Givon never accepted it
 * @param attempts   Givon submissions made (0 for REJECTED/EXPIRED)
 * @param error      null on SUCCEEDED
 * @param run        the run of the job this result ends ({@link MotionJob#run}); 1 in results written
 *                   before runs existed
 * @param worker     the worker instance that published it ({@code <group>-<random>}, see {@link #workerName}); null in
 *                   results written before workers named themselves, and in results not written by a worker
 * @param cancelRequested the {@code troupe cancel} that came while Givon already ran the generation (followed to its
 *                   end, its real outcome here); null when none did
 */
public record JobResult(
        String jobId,
        String batchId,
        String tenant,
        JobStatus status,
        String generationId,
        String videoUrl,
        Tokens costTokens,
        int attempts,
        Error error,
        Timings timings,
        Map<String, String> metadata,
        int run,
        String worker,
        CancelRequest cancelRequested) {

    public static final String SCHEMA = "troupe.job-result/v1";
    /** Longest worker name: a worker names itself, but a result is read from outside. */
    public static final int MAX_WORKER_CHARS = 128;
    /** What a worker name may hold: the characters of a jobId, so it prints safely and needs no quoting. */
    static final Pattern WORKER = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_WORKER_CHARS + "}");

    public JobResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
        if (run < MotionJob.FIRST_RUN || run > MotionJob.MAX_RUN) {
            throw new IllegalArgumentException("run must be " + MotionJob.FIRST_RUN + " to " + MotionJob.MAX_RUN + ", was " + run);
        }
        if (worker != null && !WORKER.matcher(worker).matches()) {
            throw new IllegalArgumentException("worker must be 1 to " + MAX_WORKER_CHARS + " of A-Z a-z 0-9 . _ : -, was \""
                    + Texts.clip(worker, 40) + "\" (JobResult.workerName makes one)");
        }
        costTokens = costTokens == null ? Tokens.ZERO : costTokens;
        timings = timings == null ? Timings.NONE : timings;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * Of two results of the same job, {@code later} read after {@code earlier}, the one that is the job's
     * outcome: the later run, and of the same run the one completed later (the one read later when
     * neither says, or both say the same).
     */
    public static JobResult outcomeOf(JobResult earlier, JobResult later) {
        if (later.run() != earlier.run()) {
            return later.run() > earlier.run() ? later : earlier;
        }
        Instant before = earlier.timings().completedAt();
        Instant after = later.timings().completedAt();
        return before != null && after != null && after.isBefore(before) ? earlier : later;
    }

    /** Whether {@code other} is this result published again (same run, same generation), not another generation. */
    public boolean repeats(JobResult other) {
        return run == other.run() && Objects.equals(generationId, other.generationId()) && status == other.status();
    }

    /** The result of a job's first run. */
    public JobResult(String jobId, String batchId, String tenant, JobStatus status, String generationId, String videoUrl,
                     Tokens costTokens, int attempts, Error error, Timings timings, Map<String, String> metadata) {
        this(jobId, batchId, tenant, status, generationId, videoUrl, costTokens, attempts, error, timings, metadata,
                MotionJob.FIRST_RUN);
    }

    /** A result no cancel reached while Givon ran it. */
    public JobResult(String jobId, String batchId, String tenant, JobStatus status, String generationId, String videoUrl,
                     Tokens costTokens, int attempts, Error error, Timings timings, Map<String, String> metadata, int run,
                     String worker) {
        this(jobId, batchId, tenant, status, generationId, videoUrl, costTokens, attempts, error, timings, metadata, run, worker,
                null);
    }

    /** A result that names no worker (the worker names itself with {@link #publishedBy}). */
    public JobResult(String jobId, String batchId, String tenant, JobStatus status, String generationId, String videoUrl,
                     Tokens costTokens, int attempts, Error error, Timings timings, Map<String, String> metadata, int run) {
        this(jobId, batchId, tenant, status, generationId, videoUrl, costTokens, attempts, error, timings, metadata, run, null);
    }

    /** This result as published by {@code worker} (a name {@link #workerName} made). */
    public JobResult publishedBy(String worker) {
        return new JobResult(jobId, batchId, tenant, status, generationId, videoUrl, costTokens, attempts, error, timings, metadata,
                run, worker, cancelRequested);
    }

    /** This result saying that {@code cancel} came while Givon ran its generation. */
    public JobResult withCancelRequested(CancelRequest cancel) {
        return new JobResult(jobId, batchId, tenant, status, generationId, videoUrl, costTokens, attempts, error, timings, metadata,
                run, worker, cancel);
    }

    /**
     * {@code instance} as a result may carry it: every character outside {@code A-Z a-z 0-9 . _ : -} becomes
     * {@code _}, and a name longer than {@value #MAX_WORKER_CHARS} keeps its first 111 characters, a {@code ~}
     * and 16 hex digits of a hash of the whole (its end, the instance's random part, would be lost), as a
     * long jobId is cut. Null or empty gives null.
     */
    public static String workerName(String instance) {
        if (instance == null || instance.isEmpty()) {
            return null;
        }
        StringBuilder safe = new StringBuilder(Math.min(instance.length(), MAX_WORKER_CHARS + 1));
        instance.codePoints().forEach(c -> safe.append(safeInName(c) ? (char) c : '_'));
        if (safe.length() <= MAX_WORKER_CHARS) {
            return safe.toString();
        }
        long hash = 1125899906842597L;
        for (int i = 0; i < instance.length(); i++) {
            hash = 31 * hash + instance.charAt(i);
        }
        String suffix = "~" + String.format(java.util.Locale.ROOT, "%016x", hash);
        return safe.substring(0, MAX_WORKER_CHARS - suffix.length()) + suffix;
    }

    private static boolean safeInName(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
    }

    /**
     * Why a job did not succeed. {@code code} is a stable machine-readable word ({@code INVALID_JOB},
     * {@code BUDGET_EXHAUSTED}, {@code GENERATION_FAILED}, {@code SUBMIT_UNCERTAIN}, ...); {@code violations}
     * lists every broken input rule of a REJECTED job.
     */
    public record Error(String code, String message, boolean retryable, List<Violation> violations) {

        /** Longest message kept: a message quotes Givon or a record and must not grow a result without bound. */
        public static final int MAX_MESSAGE_CHARS = 2_000;
        public static final int MAX_CODE_CHARS = 64;

        public Error {
            Objects.requireNonNull(code, "code");
            code = Texts.clip(code, MAX_CODE_CHARS);
            message = Texts.clip(message, MAX_MESSAGE_CHARS);
            violations = violations == null ? List.of()
                    : List.copyOf(violations.size() > DecodeResult.Invalid.MAX_VIOLATIONS
                            ? violations.subList(0, DecodeResult.Invalid.MAX_VIOLATIONS) : violations);
        }

        public static Error of(String code, String message, boolean retryable) {
            return new Error(code, message, retryable, List.of());
        }
    }

    /**
     * A {@code troupe cancel} of the job or its batch that came after Givon had accepted the generation: Givon
     * documents no cancel, so the generation was followed to its end (and paid), and the result says so.
     *
     * @param target the command's target ({@code batch:ID} or {@code job:ID}), at most {@value #MAX_TARGET_CHARS} characters
     * @param at     when the command was given
     * @param reason the operator's reason, or null
     */
    public record CancelRequest(String target, Instant at, String reason) {

        public static final int MAX_TARGET_CHARS = 140;

        public CancelRequest {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(at, "at");
            target = Texts.clip(target, MAX_TARGET_CHARS);
            reason = reason == null ? null : Texts.clip(reason, ControlCommand.MAX_REASON);
        }

        public static CancelRequest of(ControlCommand cancel) {
            return new CancelRequest(cancel.key(), cancel.at(), cancel.reason());
        }
    }

    /** When the job was enqueued (Kafka timestamp), started by a worker, accepted by Givon, and ended. */
    public record Timings(Instant enqueuedAt, Instant startedAt, Instant submittedAt, Instant completedAt) {
        public static final Timings NONE = new Timings(null, null, null, null);
    }
}
