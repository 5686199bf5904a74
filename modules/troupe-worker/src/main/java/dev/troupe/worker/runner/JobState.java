package dev.troupe.worker.runner;

import dev.troupe.model.JobResult;
import java.time.Instant;
import java.util.Set;

/**
 * Where one job is in its life on this worker. Every move goes through {@link JobLifecycle#move},
 * checked against {@link #canMoveTo}, so the lifecycle is one closed set of states rather than flags
 * spread over classes; the journal records the states a next owner needs (Submitting, Following, Done).
 *
 * <pre>
 *  Admitted ─► Parked ─► Admitted (budget came back)
 *     │          └─► Shelved (the journal holds it; it resumes from there)
 *     │
 *     ▼
 *  AwaitingSlot ─► Submitting ─► Following ─► Publishing ─► Done
 *     ▲  │            │  │           ▲            ▲
 *     │  └────────────┼──┼───────────┘ (a generation the journal says Givon accepted: followed, not resubmitted)
 *     └── BackingOff ◄┘  └────────────────────────┘ (permanent error, uncertain)
 *  Admitted / AwaitingSlot / Parked ─► Publishing (rejected, expired) or Abandoned (partition revoked)
 * </pre>
 */
public sealed interface JobState {

    /** Decoded, valid, not a duplicate; budget not yet reserved. */
    record Admitted() implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of(Parked.class, AwaitingSlot.class, Publishing.class, Abandoned.class);
        }
    }

    /** The tenant's budget window is spent and its policy is WAIT: held until the window rolls. */
    record Parked(Instant resumesAt) implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of(Admitted.class, Shelved.class, Publishing.class, Abandoned.class);
        }
    }

    /**
     * Parked, and its PARKED entry (at {@code journalOffset} of its state partition) acknowledged: the
     * job left memory and its record may be committed; it resumes from the journal as a new snapshot.
     */
    record Shelved(long journalOffset) implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of();
        }
    }

    /** Budget reserved; waiting for a concurrency slot (or for a Retry-After pause to end). */
    record AwaitingSlot() implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of(Submitting.class, Following.class, Publishing.class, Abandoned.class);
        }
    }

    /**
     * A POST is on the wire; {@code attempt} counts from 1. Abandoned only when a hand-over's grace
     * ends before Givon answers: the journal's intent makes the next owner treat it as uncertain.
     */
    record Submitting(int attempt) implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of(Following.class, BackingOff.class, AwaitingSlot.class, Publishing.class, Abandoned.class);
        }
    }

    /**
     * A transient failure: the next attempt is due at {@code retryAt}. {@code givonMayHoldIt} when the
     * failed POST's answer does not prove that nothing was created (resubmitted with the same key);
     * {@code reason} says what failed, for its progress event.
     */
    record BackingOff(int attempt, Instant retryAt, boolean givonMayHoldIt, String reason) implements JobState {
        public BackingOff(int attempt, Instant retryAt, boolean givonMayHoldIt) {
            this(attempt, retryAt, givonMayHoldIt, "RETRYABLE");
        }


        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of(AwaitingSlot.class, Publishing.class, Abandoned.class);
        }
    }

    /** Givon accepted the job; we poll it until it ends (or hand it over: the journal names the generation). */
    record Following(String generationId) implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of(Publishing.class, Abandoned.class);
        }
    }

    /** The terminal result is being written to the results topic. */
    record Publishing(JobResult result) implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            // Abandoned: the result was not published (the worker stopped, or the partition moved on).
            return Set.of(Done.class, Abandoned.class);
        }
    }

    /** The result is acknowledged by Kafka; the record's offset may be committed. */
    record Done(JobResult result) implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of();
        }
    }

    /** The partition was revoked; the next owner runs the job (or follows it, as the journal says). */
    record Abandoned() implements JobState {
        @Override
        public Set<Class<? extends JobState>> next() {
            return Set.of();
        }
    }

    /** The states this one may move to (Java 17 has no pattern switch, so each state lists its own). */
    Set<Class<? extends JobState>> next();

    default boolean canMoveTo(JobState next) {
        return next().contains(next.getClass());
    }

    default boolean terminal() {
        return this instanceof Done || this instanceof Abandoned || this instanceof Shelved;
    }
}
