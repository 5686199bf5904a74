package dev.troupe.model;

import java.util.List;
import java.util.Objects;

/**
 * What a {@code troupe.jobs} record turned out to be: a valid job, a job that breaks rules (REJECTED
 * result when its jobId is known), or bytes that cannot be read as a job at all (dead-letter queue).
 */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Invalid, DecodeResult.Unreadable {

    /** A valid job with defaults applied. */
    record Decoded(MotionJob job) implements DecodeResult {
        public Decoded {
            Objects.requireNonNull(job, "job");
        }
    }

    /**
     * A JSON object that breaks at least one rule, or a record over the size limit.
     *
     * @param jobId      the record's jobId when it is itself valid, else null
     * @param violations the broken rules, never empty; at most {@link #MAX_VIOLATIONS}, the last one
     *                   counting those left out (a record can break thousands)
     */
    /** A job that breaks rules; {@code jobId} null when it has no usable one, {@code run} 1 unless it had a usable one. */
    record Invalid(String jobId, List<Violation> violations, int run) implements DecodeResult {

        public static final int MAX_VIOLATIONS = 50;

        public Invalid {
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid job has at least one violation");
            }
            if (violations.size() > MAX_VIOLATIONS) {
                int omitted = violations.size() - (MAX_VIOLATIONS - 1);
                List<Violation> kept = new java.util.ArrayList<>(violations.subList(0, MAX_VIOLATIONS - 1));
                kept.add(Violation.of("", "max " + MAX_VIOLATIONS + " violations listed", omitted + " more",
                        omitted + " more violation(s) not listed; fix the ones above and send the job again"));
                violations = kept;
            }
            violations = List.copyOf(violations);
        }

        public Invalid(String jobId, List<Violation> violations) {
            this(jobId, violations, MotionJob.FIRST_RUN);
        }
    }

    /** Empty bytes, bytes that are not UTF-8 JSON, or JSON that is not an object. */
    record Unreadable(String reason) implements DecodeResult {
        public Unreadable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
