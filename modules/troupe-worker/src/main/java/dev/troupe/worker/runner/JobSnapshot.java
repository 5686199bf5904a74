package dev.troupe.worker.runner;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.Reservation;
import dev.troupe.worker.consumer.JobRecord;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * One job on this worker at one moment: immutable, replaced as a whole by {@link JobLifecycle#move},
 * the only place a job changes. What Givon holds is in the state alone (a generation id lives in
 * {@link JobState.Following}, nowhere else).
 *
 * @param record        coordinates and timestamp only ({@link JobRecord#withoutPayload}); for a job resumed from
 *                      the journal (its record committed), the partition, assignment and enqueue time, offset -1
 * @param recordBytes   size of the record's value, for the bound on what parked jobs hold
 * @param reservation   the budget held for it, or null
 * @param attempts      POSTs made for it (by this worker, or before it as the journal says)
 * @param submittedAt   when Givon accepted it, or null
 * @param takenOver     what the journal said of the job when this worker took its partition over
 *                      (a POST made, a generation accepted), or null for a job new to the fleet
 */
record JobSnapshot(JobRecord record, int recordBytes, MotionJob job, Tokens estimatedCost, Instant startedAt, JobState state,
                   Reservation reservation, int attempts, Instant submittedAt, JournalEntry takenOver) {

    static JobSnapshot admitted(JobRecord record, MotionJob job, Tokens estimatedCost, Instant now, JournalEntry takenOver) {
        int attempts = takenOver instanceof JournalEntry.Submitting s ? s.attempt()
                : takenOver instanceof JournalEntry.Accepted a ? a.attempt() : 0;
        return new JobSnapshot(record.withoutPayload(), record.size(), job, estimatedCost, now, new JobState.Admitted(), null,
                attempts, null, takenOver);
    }

    /**
     * A job read from a journal entry that carries it (resumed from PARKED, or taken over after that):
     * no record of its own on {@code troupe.jobs} counts on it, so its entries carry the job.
     */
    static JobSnapshot resumed(TopicPartition partition, long assignment, MotionJob job, Instant enqueuedAt, Tokens estimatedCost,
                               Instant now, JournalEntry takenOver) {
        return admitted(JobRecord.resumed(partition, enqueuedAt == null ? now : enqueuedAt, assignment), job, estimatedCost, now,
                takenOver);
    }

    /** Whether the job's record was committed (it resumed from the journal): the journal alone holds it. */
    boolean recordless() {
        return !record.hasOffset();
    }

    /** This run of the job: what the worker, its journal, its budget and Givon know it by ({@link MotionJob#runKey}). */
    String jobId() {
        return job.runKey();
    }

    TopicPartition partition() {
        return record.partition();
    }

    String tenant() {
        return job.tenant();
    }

    boolean is(Class<? extends JobState> kind) {
        return kind.isInstance(state);
    }

    /** The generation Givon runs for it, while it is followed; null otherwise. */
    String generationId() {
        return state instanceof JobState.Following following ? following.generationId() : null;
    }

    /** Abandon-able: Givon cannot hold a generation for it and nothing is being published. */
    boolean unsubmitted() {
        return state instanceof JobState.Admitted || state instanceof JobState.Parked || state instanceof JobState.AwaitingSlot
                || state instanceof JobState.BackingOff;
    }

    JobSnapshot to(JobState next) {
        return new JobSnapshot(record, recordBytes, job, estimatedCost, startedAt, next, reservation, attempts, submittedAt, takenOver);
    }

    JobSnapshot withReservation(Reservation value) {
        return new JobSnapshot(record, recordBytes, job, estimatedCost, startedAt, state, value, attempts, submittedAt, takenOver);
    }

    JobSnapshot withAttempts(int value) {
        return new JobSnapshot(record, recordBytes, job, estimatedCost, startedAt, state, reservation, value, submittedAt, takenOver);
    }

    JobSnapshot acceptedAt(Instant value) {
        return new JobSnapshot(record, recordBytes, job, estimatedCost, startedAt, state, reservation, attempts, value, takenOver);
    }

    JobResult result(JobStatus status, Tokens cost, String videoUrl, JobResult.Error error, Instant completedAt) {
        return new JobResult(job.jobId(), job.batchId(), job.tenant(), status, generationId(), videoUrl, cost, attempts, error,
                new JobResult.Timings(record.timestamp(), startedAt, submittedAt, completedAt), job.metadata(), job.run());
    }

    @Override
    public String toString() {
        return "JobSnapshot[" + job.jobId() + " " + state + " at " + record.coordinates() + ", attempts " + attempts + "]";
    }
}
