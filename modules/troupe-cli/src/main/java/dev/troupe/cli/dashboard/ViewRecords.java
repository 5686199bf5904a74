package dev.troupe.cli.dashboard;

import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the {@link DashboardView} answers: immutable snapshots taken under its lock, rendered outside it. */
public final class ViewRecords {

    private ViewRecords() {
    }

    /** One page of a longer list; {@code total} counts every match. */
    public record Page<T>(int total, int offset, int limit, List<T> items) {
    }

    /**
     * @param jobsKnown false when no descriptor was read: {@code jobs} counts the jobs seen
     * @param phases    jobs by phase; unseen jobs of a descriptor count as queued
     * @param etaSeconds negative when unknown
     */
    public record BatchSummary(String batchId, String tenant, int jobs, boolean jobsKnown, Map<JobPhase, Integer> phases,
                               int finished, boolean complete, Tokens spent, Tokens estimated, Instant startedAt,
                               Instant finishedAt, double ratePerSecond, double etaSeconds, boolean rowsHeld) {

        public double percent() {
            return jobs == 0 ? 0 : Math.min(100.0, finished * 100.0 / jobs);
        }
    }

    /** The failures of a batch that share a status and an error code, with the first message and a few jobIds. */
    public record FailureGroup(String status, String code, int count, String message, List<String> jobIds) {
    }

    public record BatchDetail(BatchSummary summary, List<FailureGroup> failures, Instant parkedUntil) {
    }

    /** A job row as the batch view lists it; result fields are null until its run has a result. */
    public record JobLine(String jobId, JobPhase phase, int run, String character, String motion, double renderSeconds,
                          Tokens cost, int attempts, String generationId, String videoUrl, String errorCode,
                          String errorMessage, Instant completedAt, Instant parkedUntil) {
    }

    /** Results by outcome per bucket of {@code bucketSeconds}, oldest first. */
    public record Throughput(int bucketSeconds, List<Map.Entry<Instant, int[]>> buckets) {
    }

    /** Jobs parked on spent budgets, by budget key: how many and the earliest refill. */
    public record Parked(int jobs, Instant firstResume) {
    }

    /** What the view holds now, against its bounds. */
    public record Held(int rows, int batches, long evictedBatches, long evictedRows, long unreadable, long lateForEvicted) {
    }
}
