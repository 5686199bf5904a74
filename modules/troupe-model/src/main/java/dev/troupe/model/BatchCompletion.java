package dev.troupe.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A batch's end, on {@code troupe.batches} (schema {@value #SCHEMA}, key = batchId): published once by
 * the batch tracker when every job of its {@link BatchDescriptor} has a terminal result (a job's latest
 * run counts). The jobs that did not succeed are listed up to {@value #MAX_LISTED}; {@code unlisted}
 * counts the others, so the record stays a few hundred KB at most for a batch of any size.
 *
 * @param counts       results by status, every status present (0 for none); they add up to {@code jobs}
 * @param costTokens   tokens Givon charged for the batch's latest runs
 * @param unsuccessful jobs that did not succeed, at most {@value #MAX_LISTED}, in jobId order
 * @param unlisted     jobs that did not succeed and are not in {@code unsuccessful}
 */
public record BatchCompletion(String batchId, String tenant, int jobs, Map<JobStatus, Integer> counts, Tokens costTokens,
                              Instant completedAt, List<Unsuccessful> unsuccessful, int unlisted) {

    public static final String SCHEMA = "troupe.batch-completion/v1";
    public static final int MAX_LISTED = 100;
    /** Longest error code and message kept per listed job, in code points. */
    public static final int MAX_CODE = 64;
    public static final int MAX_MESSAGE = 300;

    /**
     * A job that did not succeed: its latest run, status and why ({@code code}, {@code message}; null
     * when its result had no error, e.g. a CANCELLED job).
     */
    public record Unsuccessful(String jobId, int run, JobStatus status, String code, String message) {
        public Unsuccessful {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(status, "status");
            if (status == JobStatus.SUCCEEDED) {
                throw new IllegalArgumentException("job " + jobId + " succeeded: it is not listed as unsuccessful");
            }
            if (run < MotionJob.FIRST_RUN || run > MotionJob.MAX_RUN) {
                throw new IllegalArgumentException("run must be " + MotionJob.FIRST_RUN + " to " + MotionJob.MAX_RUN + ", was " + run);
            }
            code = within(code, MAX_CODE);
            message = within(message, MAX_MESSAGE);
        }
    }

    /** At most {@code max} code points, the clip's "…(N chars)" included; empty is absent. */
    private static String within(String text, int max) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return Json.codePoints(text) <= max ? text : Texts.clip(text, max - 24);
    }

    public BatchCompletion {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(costTokens, "costTokens");
        Objects.requireNonNull(completedAt, "completedAt");
        if (costTokens.isNegative()) {
            throw new IllegalArgumentException("costTokens must not be negative, was " + costTokens);
        }
        if (jobs < 1 || jobs > BatchDescriptor.MAX_JOBS) {
            throw new IllegalArgumentException("jobs must be 1 to " + BatchDescriptor.MAX_JOBS + ", was " + jobs);
        }
        EnumMap<JobStatus, Integer> all = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            int count = counts.getOrDefault(status, 0);
            if (count < 0) {
                throw new IllegalArgumentException("counts." + status + " must not be negative, was " + count);
            }
            all.put(status, count);
        }
        counts = java.util.Collections.unmodifiableMap(all);
        long sum = all.values().stream().mapToLong(Integer::longValue).sum();
        if (sum != jobs) {
            throw new IllegalArgumentException("counts add up to " + sum + ", not to the batch's " + jobs + " jobs");
        }
        unsuccessful = List.copyOf(unsuccessful);
        if (unsuccessful.size() > MAX_LISTED) {
            throw new IllegalArgumentException("at most " + MAX_LISTED + " unsuccessful jobs are listed, got " + unsuccessful.size());
        }
        if (unlisted < 0 || unsuccessful.size() + (long) unlisted != jobs - all.get(JobStatus.SUCCEEDED)) {
            throw new IllegalArgumentException("unsuccessful (" + unsuccessful.size() + ") and unlisted (" + unlisted
                    + ") must add up to the " + (jobs - all.get(JobStatus.SUCCEEDED)) + " jobs that did not succeed");
        }
    }
}
