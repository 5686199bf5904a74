package dev.troupe.worker.runner;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.Reservation;
import dev.troupe.worker.consumer.JobRecord;
import java.time.Instant;

/** One job's run on this worker: its record, its state, and what it holds (budget, a generation). */
final class JobExecution {

    /** Coordinates and timestamp only (see {@link JobRecord#withoutPayload}). */
    final JobRecord record;
    /** Size of the record's value, for the bound on what parked jobs hold. */
    final int recordBytes;
    final MotionJob job;
    final Tokens estimatedCost;
    final Instant startedAt;

    private JobState state = new JobState.Admitted();
    Reservation reservation;
    int attempts;
    String generationId;
    Instant submittedAt;
    long timerId = -1;

    JobExecution(JobRecord record, MotionJob job, Tokens estimatedCost, Instant startedAt) {
        this.record = record.withoutPayload();
        this.recordBytes = record.size();
        this.job = job;
        this.estimatedCost = estimatedCost;
        this.startedAt = startedAt;
    }

    JobState state() {
        return state;
    }

    void moveTo(JobState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("job " + job.jobId() + ": " + state + " cannot move to " + next);
        }
        state = next;
    }

    boolean is(Class<? extends JobState> kind) {
        return kind.isInstance(state);
    }

    /** Abandon-able: Givon cannot hold a generation for it and nothing is being published. */
    boolean unsubmitted() {
        return state.next().contains(JobState.Abandoned.class);
    }

    JobResult result(JobStatus status, Tokens cost, String videoUrl, JobResult.Error error, Instant completedAt) {
        return new JobResult(job.jobId(), job.batchId(), job.tenant(), status, generationId, videoUrl, cost, attempts,
                error, new JobResult.Timings(record.timestamp(), startedAt, submittedAt, completedAt), job.metadata());
    }
}
