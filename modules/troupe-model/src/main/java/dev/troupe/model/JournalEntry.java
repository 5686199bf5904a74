package dev.troupe.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One job's latest state in the journal on {@code troupe.state} (schema {@value #SCHEMA}), keyed by
 * jobId and written to the state partition with the number of the job's partition on {@code troupe.jobs}.
 * Compaction keeps the latest entry of each job; a tombstone (null value) forgets it.
 */
public sealed interface JournalEntry {

    String SCHEMA = "troupe.journal/v1";

    String jobId();

    /** When the worker wrote it (the worker's clock). */
    Instant at();

    /**
     * The job itself, when the next owner must resume it from the journal because its record's offset
     * was committed (a job parked on a spent budget, and what it did after it resumed); null when
     * its record is still uncommitted on {@code troupe.jobs}, so the next owner reads it there.
     */
    default MotionJob job() {
        return null;
    }

    /** When the job's record was written to {@code troupe.jobs}, alongside {@link #job()}; may be null. */
    default Instant enqueuedAt() {
        return null;
    }

    /** Which of the four entries this is: the {@code kind} field of the wire form, and what a switch covers. */
    Kind kind();

    /** The closed set of entries: switch over it with no {@code default}, so a new kind breaks the build where it must be handled. */
    enum Kind { SUBMITTING, ACCEPTED, PARKED, FINISHED }

    /** A POST is about to go out (attempt counts from 1): written, and acknowledged, before it does. */
    record Submitting(String jobId, Instant at, int attempt, MotionJob job, Instant enqueuedAt) implements JournalEntry {
        public Submitting {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(at, "at");
        }

        /** Of a job whose record is still on {@code troupe.jobs}, uncommitted. */
        public Submitting(String jobId, Instant at, int attempt) {
            this(jobId, at, attempt, null, null);
        }

        @Override
        public Kind kind() {
            return Kind.SUBMITTING;
        }
    }

    /** Givon accepted the job as {@code generationId}: the next owner follows it, it never POSTs again. */
    record Accepted(String jobId, Instant at, int attempt, String generationId, Instant submittedAt, MotionJob job,
                    Instant enqueuedAt) implements JournalEntry {
        public Accepted {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(generationId, "generationId");
        }

        /** Of a job whose record is still on {@code troupe.jobs}, uncommitted. */
        public Accepted(String jobId, Instant at, int attempt, String generationId, Instant submittedAt) {
            this(jobId, at, attempt, generationId, submittedAt, null, null);
        }

        @Override
        public Kind kind() {
            return Kind.ACCEPTED;
        }
    }

    /**
     * Parked on a spent {@code wait} budget until {@code resumesAt}; the job travels with the entry so
     * that its record's offset may be committed and the job leave memory. {@code cost} is what it
     * reserves when it resumes (its estimate when parked), so that a resume can be tried against the
     * budget before the job is read back.
     */
    record Parked(String jobId, Instant at, Instant resumesAt, MotionJob job, Instant enqueuedAt, Tokens cost)
            implements JournalEntry {
        public Parked {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(resumesAt, "resumesAt");
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(cost, "cost");
        }

        @Override
        public Kind kind() {
            return Kind.PARKED;
        }
    }

    /**
     * The job's result is published: a record of the same jobId read again (by this group or a new
     * one) is answered from here, not run and paid again. Kept for {@code journal.retention}.
     */
    record Finished(String jobId, Instant at, JobStatus status, String generationId, Tokens cost, int attempts)
            implements JournalEntry {
        public Finished {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(status, "status");
            cost = cost == null ? Tokens.ZERO : cost;
        }

        @Override
        public Kind kind() {
            return Kind.FINISHED;
        }
    }
}
