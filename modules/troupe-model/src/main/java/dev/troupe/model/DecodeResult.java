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
     * @param violations every broken rule, never empty
     */
    record Invalid(String jobId, List<Violation> violations) implements DecodeResult {
        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid job has at least one violation");
            }
        }
    }

    /** Empty bytes, bytes that are not UTF-8 JSON, or JSON that is not an object. */
    record Unreadable(String reason) implements DecodeResult {
        public Unreadable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
