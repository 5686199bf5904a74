package dev.troupe.cli.dashboard;

import java.util.HashMap;
import java.util.Map;

/**
 * One batch as the dashboard holds it: what its descriptor and completion said, counts by phase kept as
 * rows change (never recounted), and its job rows until they are evicted to stay within the view's bound.
 * Confined to the {@link DashboardView}'s lock.
 */
final class BatchEntry {

    final String batchId;
    String tenant;
    /** The descriptor's job count; -1 before one is read. */
    int expectedJobs = -1;
    long estimatedMilli = -1;
    long createdAt;
    long completionAt;
    /** Tokens of every distinct generation's result, as {@code troupe watch} adds them. */
    long spentMilli;
    long startedAt;
    long lastCompletedAt;
    final int[] phases = new int[JobPhase.ALL.length];
    Map<String, JobRow> rows = new HashMap<>();
    /** Rows dropped to stay within {@code dashboard.max-results}: the counts stay, the job list is gone. */
    boolean rowsEvicted;
    /** Incremented on every change: the order batches were last touched in, for eviction. */
    long touched;

    BatchEntry(String batchId) {
        this.batchId = batchId;
    }

    int known() {
        int sum = 0;
        for (int count : phases) {
            sum += count;
        }
        return sum;
    }

    /** The descriptor's count, else the jobs seen so far. */
    int jobs() {
        return expectedJobs >= 0 ? Math.max(expectedJobs, known()) : known();
    }

    int finished() {
        int sum = 0;
        for (int i = 0; i < JobPhase.OUTCOMES; i++) {
            sum += phases[i];
        }
        return sum;
    }

    /** Jobs the descriptor counts that no event or result has named yet: waiting in Kafka. */
    int unseen() {
        return expectedJobs < 0 ? 0 : Math.max(0, expectedJobs - known());
    }

    boolean complete() {
        return completionAt > 0 || expectedJobs > 0 && finished() >= expectedJobs;
    }

    long finishedAt() {
        if (!complete()) {
            return 0;
        }
        return completionAt > 0 ? Math.max(completionAt, lastCompletedAt) : lastCompletedAt;
    }

    int count(JobPhase phase) {
        return phases[phase.ordinal()];
    }

    void move(JobPhase from, JobPhase to) {
        if (from != null) {
            phases[from.ordinal()]--;
        }
        if (to != null) {
            phases[to.ordinal()]++;
        }
    }

    /** Jobs finished per second since the batch started, over its finished jobs; 0 before two are. */
    double rate(long now) {
        int finished = finished();
        long end = complete() ? finishedAt() : now;
        if (startedAt <= 0 || finished < 1 || end <= startedAt) {
            return 0;
        }
        return finished * 1000.0 / (end - startedAt);
    }
}
