package dev.troupe.worker.runner;

import dev.troupe.model.JournalEntry;
import dev.troupe.model.ProgressEvent;
import dev.troupe.worker.journal.JobJournal;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place where a job changes state: checks the move, makes the new snapshot current, and
 * returns the journal write the move needs (the next owner must find what Givon may hold), so that
 * the job moves on only once the journal has it. It is also where each move's progress event
 * ({@code troupe.progress}) is handed on, best-effort. Confined to the runner's event loop.
 */
final class JobLifecycle {

    private final ActiveJobs jobs = new ActiveJobs();
    /** Journal writes not acknowledged yet, by job: a hand-over waits for them. */
    private final Map<String, Future<Long>> pendingWrites = new HashMap<>();
    private final JobJournal journal;
    private final Clock clock;
    /** Whether a job's outcome is journaled in its result's transaction, so that the move to Done writes nothing. */
    private final boolean outcomeWithResult;
    private final ProgressEvents progress;
    /** The name progress events carry ({@link JobRunner.Settings#worker}); may be null. */
    private final String worker;
    private final QueuedJobs queued;

    /**
     * Told when a job joins or leaves the queue before Givon ({@link #queued(JobState)}), by its tenant;
     * on the runner's event loop, it must return at once.
     */
    @FunctionalInterface
    interface QueuedJobs {
        QueuedJobs NONE = (tenant, change) -> { };

        void changed(String tenant, int change);
    }

    JobLifecycle(JobJournal journal, Clock clock, boolean outcomeWithResult) {
        this(journal, clock, outcomeWithResult, ProgressEvents.NONE, null, QueuedJobs.NONE);
    }

    /**
     * @param outcomeWithResult true when the results sink is transactional: the FINISHED entry goes in
     *                          the transaction of the job's result ({@link #outcome}), not through the journal
     */
    JobLifecycle(JobJournal journal, Clock clock, boolean outcomeWithResult, ProgressEvents progress, String worker,
                 QueuedJobs queued) {
        this.queued = queued;
        this.journal = journal;
        this.clock = clock;
        this.outcomeWithResult = outcomeWithResult;
        this.progress = progress;
        this.worker = worker;
    }

    /** A job begins on this worker. */
    void begin(JobSnapshot admitted) {
        if (jobs.current(admitted.jobId()) != null) {
            throw new IllegalStateException("job " + admitted.jobId() + " is already running on this worker");
        }
        jobs.put(admitted);
        emit(admitted);
        if (queued(admitted.state())) {
            queued.changed(admitted.tenant(), 1);
        }
    }

    /**
     * A job (Admitted, its budget not reserved) is held by an operator's pause, outside the
     * lifecycle's states (it stays Admitted): only its progress says so.
     */
    void held(JobSnapshot admitted) {
        if (isCurrent(admitted)) {
            progress(ProgressEvent.held(admitted.job(), clock.instant(), worker, ProgressEvent.PAUSED));
        }
    }

    /**
     * Moves {@code from} (which must be the job's current snapshot) to {@code next}.
     *
     * @return completes with {@code next} once the journal holds what the move needs (at once when it needs nothing)
     * @throws IllegalStateException if the lifecycle forbids the move or {@code from} is not current: a bug
     */
    Future<JobSnapshot> move(JobSnapshot from, JobSnapshot next) {
        return moveWriting(from, next).map(next);
    }

    /** Moves to {@code parked} like {@link #move}; completes with the offset of its PARKED entry (-1 when none is written). */
    Future<Long> park(JobSnapshot from, JobSnapshot parked) {
        if (!parked.is(JobState.Parked.class)) {
            throw new IllegalArgumentException("job " + parked.jobId() + ": " + parked.state() + " is not parked");
        }
        return moveWriting(from, parked);
    }

    private Future<Long> moveWriting(JobSnapshot from, JobSnapshot next) {
        if (!from.state().canMoveTo(next.state())) {
            throw new IllegalStateException("job " + from.jobId() + ": " + from.state() + " cannot move to " + next.state());
        }
        if (!isCurrent(from)) {
            throw new IllegalStateException("job " + from.jobId() + ": " + from + " is not its current state");
        }
        jobs.put(next);
        emit(next);
        int change = (queued(next.state()) ? 1 : 0) - (queued(from.state()) ? 1 : 0);
        if (change != 0) {
            queued.changed(next.tenant(), change);
        }
        Future<Long> written;
        JournalEntry entry = outcomeWithResult && next.is(JobState.Done.class) ? null : journalEntry(next);
        if (entry == null && next.recordless() && nothingCreated(from.state(), next.state())) {
            // Its record is committed: the journal keeps the job, as ready to run, instead of forgetting it.
            entry = parkedEntry(next, clock.instant());
        }
        if (entry instanceof JournalEntry.Parked parked) {
            written = journal.park(next.partition(), parked);
        } else if (entry != null) {
            written = journal.record(next.partition(), entry).map(NOTHING_WRITTEN);
        } else if (nothingCreated(from.state(), next.state())) {
            // The intent is void: a next owner must not take a POST Givon refused for an uncertain one.
            written = journal.forget(next.partition(), next.jobId()).map(NOTHING_WRITTEN);
        } else {
            written = Future.succeededFuture(NOTHING_WRITTEN);
        }
        if (!written.isComplete()) {
            pendingWrites.put(next.jobId(), written);
            written.onComplete(ar -> pendingWrites.remove(next.jobId(), written));
        }
        if (next.state().terminal()) {
            // Leaves the table once journaled, so that a hand-back it releases sees its outcome recorded.
            return written.andThen(ar -> jobs.remove(next));
        }
        return written;
    }

    private static final Long NOTHING_WRITTEN = -1L;

    /**
     * Taken from Kafka, not parked and not at Givon yet: waiting for its budget's answer (or an operator's
     * resume), for a concurrency slot, or for a retry.
     */
    private static boolean queued(JobState state) {
        return state instanceof JobState.Admitted || state instanceof JobState.AwaitingSlot || state instanceof JobState.BackingOff;
    }

    /** The progress event of a job that just moved to its snapshot's state; none for the states within a stage. */
    private void emit(JobSnapshot next) {
        JobState state = next.state();
        java.time.Instant now = clock.instant();
        ProgressEvent event = null;
        if (state instanceof JobState.Admitted) {
            event = ProgressEvent.admitted(next.job(), now, worker);
        } else if (state instanceof JobState.Parked parked) {
            event = ProgressEvent.parked(next.job(), now, worker, parked.resumesAt(), ProgressEvent.BUDGET_EXHAUSTED);
        } else if (state instanceof JobState.Following following) {
            event = ProgressEvent.submitted(next.job(), now, worker, following.generationId(), Math.max(1, next.attempts()));
        } else if (state instanceof JobState.BackingOff backingOff) {
            event = ProgressEvent.retrying(next.job(), now, worker, Math.max(1, backingOff.attempt()), backingOff.reason(),
                    backingOff.retryAt());
        } else if (state instanceof JobState.Done done) {
            event = ProgressEvent.finished(next.job(), now, worker, done.result().status());
        }
        // AwaitingSlot, Submitting and Publishing are steps within a stage; Shelved is still parked; Abandoned
        // moves the job to the next owner of its partition, whose events follow.
        if (event != null) {
            progress(event);
        }
    }

    private void progress(ProgressEvent event) {
        try {
            progress.emit(event);
        } catch (RuntimeException e) {
            // Never let progress fail a move; the sink counts its own failures.
        }
    }

    /**
     * Whether {@code snapshot} is in the job's current state (it was not moved on, abandoned or finished
     * since). States are compared by identity: a snapshot changed only in what it holds (its budget
     * released, say) is still current, so it may be the {@code from} of the next move.
     */
    boolean isCurrent(JobSnapshot snapshot) {
        JobSnapshot current = jobs.current(snapshot.jobId());
        return current != null && current.state() == snapshot.state();
    }

    /** Completes once the job's latest journal write is acknowledged (or failed); at once if none is pending. */
    Future<Void> journaled(String jobId) {
        Future<Long> pending = pendingWrites.get(jobId);
        return pending == null ? Future.succeededFuture() : pending.<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }

    /** The journal entry of a job that moves to {@code done} (its FINISHED outcome); null when the journal is off. */
    JournalEntry outcome(JobSnapshot done) {
        return journal.enabled() ? journalEntry(done) : null;
    }

    ActiveJobs jobs() {
        return jobs;
    }

    private JournalEntry.Parked parkedEntry(JobSnapshot job, java.time.Instant resumesAt) {
        return new JournalEntry.Parked(job.jobId(), clock.instant(), resumesAt, job.job(), job.record().timestamp(), job.estimatedCost());
    }

    /** A POST answered in a way that proves Givon created nothing (429, 402, 401, a retryable refusal). */
    private static boolean nothingCreated(JobState from, JobState next) {
        return from instanceof JobState.Submitting && (next instanceof JobState.AwaitingSlot
                || next instanceof JobState.BackingOff backingOff && !backingOff.givonMayHoldIt());
    }

    /** What the next owner of the partition needs to know of this state; null for nothing. */
    private JournalEntry journalEntry(JobSnapshot next) {
        JobState state = next.state();
        // A job resumed from the journal has no record to be read again: its entries carry it.
        var job = next.recordless() ? next.job() : null;
        var enqueuedAt = job == null ? null : next.record().timestamp();
        if (state instanceof JobState.Submitting submitting) {
            return new JournalEntry.Submitting(next.jobId(), clock.instant(), submitting.attempt(), job, enqueuedAt);
        }
        if (state instanceof JobState.Following following) {
            return new JournalEntry.Accepted(next.jobId(), clock.instant(), next.attempts(), following.generationId(),
                    next.submittedAt(), job, enqueuedAt);
        }
        if (state instanceof JobState.Parked parked) {
            // A job taken over with an intent or a generation keeps that entry (and stays in memory): a PARKED one would hide what Givon may hold.
            return journal.enabled() && next.takenOver() == null ? parkedEntry(next, parked.resumesAt()) : null;
        }
        if (state instanceof JobState.Done done) {
            var result = done.result();
            return new JournalEntry.Finished(next.jobId(), clock.instant(), result.status(), result.generationId(),
                    result.costTokens(), result.attempts());
        }
        return null;
    }
}
