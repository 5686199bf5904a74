package dev.troupe.worker.batch;

import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;

/**
 * What the tracker's repartition topic carries, keyed by batchId: a batch's descriptor, or one job's
 * terminal result cut to what the tally keeps ({@link JobEntry}).
 */
sealed interface TrackerEvent {

    record Described(BatchDescriptor descriptor) implements TrackerEvent {}

    record Ended(String jobId, JobEntry entry) implements TrackerEvent {}

    /** The result as the tally keeps it: a reason only for a job that did not succeed. */
    static Ended ended(JobResult result) {
        JobResult.Error error = result.error();
        boolean succeeded = result.status() == JobStatus.SUCCEEDED;
        Tokens cost = result.costTokens() == null ? Tokens.ZERO : result.costTokens();
        return new Ended(result.jobId(), new JobEntry(result.run(), result.status(), cost.milli(),
                succeeded || error == null ? null : error.code(), succeeded || error == null ? null : error.message()));
    }

    static Described described(BatchDescriptor descriptor) {
        return new Described(descriptor);
    }
}
