package dev.troupe.worker.batch;

import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobStatus;

/**
 * A batch's running tally in the tracker's store (key batchId): its descriptor once it came (null until
 * then: results may come first), how many distinct jobs have a result, the count per status of their
 * latest runs, their tokens, whether its completion was published, and when the batch last changed
 * (the tracker's clock), from which it expires. Constant size, whatever the batch's.
 */
record BatchSummary(BatchDescriptor descriptor, int ended, int[] counts, long costMilli, boolean completed, long touchedAt) {

    static BatchSummary empty(long now) {
        return new BatchSummary(null, 0, new int[JobStatus.values().length], 0, false, now);
    }

    BatchSummary described(BatchDescriptor value, long now) {
        return new BatchSummary(value, ended, counts, costMilli, completed, now);
    }

    /** {@code before} (null for the job's first result) replaced by {@code after}. */
    BatchSummary replaced(JobEntry before, JobEntry after, long now) {
        int[] next = counts.clone();
        long cost = costMilli;
        int distinct = ended;
        if (before == null) {
            distinct++;
        } else {
            next[before.status().ordinal()]--;
            cost -= before.costMilli();
        }
        next[after.status().ordinal()]++;
        cost += after.costMilli();
        return new BatchSummary(descriptor, distinct, next, cost, completed, now);
    }

    BatchSummary completed(long now) {
        return new BatchSummary(descriptor, ended, counts, costMilli, true, now);
    }

    /** Every job the descriptor counts has a terminal result, and no completion went out yet. */
    boolean due() {
        return !completed && descriptor != null && ended >= descriptor.jobs();
    }
}
