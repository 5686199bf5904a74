package dev.troupe.givon;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a Givon call failed, as a closed set. The project targets Java 17, where {@code switch} cannot
 * match record types yet, so every error also names its {@link Kind}: a {@code switch} expression on
 * {@code error.kind()} is checked for exhaustiveness by the compiler, then a cast gives the record.
 * Messages may quote Givon's answers but never contain the API key.
 */
public sealed interface GivonError {

    /** One constant per record, for exhaustive switches. */
    enum Kind {
        RETRYABLE, RATE_LIMITED, OUT_OF_TOKENS, UNAUTHORIZED, INVALID_REQUEST, NOT_FOUND, UNCERTAIN,
        DEADLINE_EXCEEDED, UNEXPECTED_RESPONSE
    }

    Kind kind();

    /** One line for logs, results and exception messages. */
    String describe();

    /** True when the same call may simply be made again later (Retryable, RateLimited). */
    default boolean isTransient() {
        return switch (kind()) {
            case RETRYABLE, RATE_LIMITED -> true;
            case OUT_OF_TOKENS, UNAUTHORIZED, INVALID_REQUEST, NOT_FOUND, UNCERTAIN, DEADLINE_EXCEEDED,
                    UNEXPECTED_RESPONSE -> false;
        };
    }

    /**
     * Transient: 408, 5xx, or a connection failure before the request was written
     * ({@code httpStatus} -1), or any transport failure of a GET. Safe to try again.
     */
    record Retryable(int httpStatus, String reason) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.RETRYABLE;
        }

        @Override
        public String describe() {
            return (httpStatus < 0 ? "Givon unreachable" : "Givon answered " + httpStatus) + " (transient): " + reason;
        }
    }

    /** 429: Givon asked us to slow down for {@code retryAfter} (its {@code Retry-After}, or the configured default). */
    record RateLimited(Duration retryAfter) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.RATE_LIMITED;
        }

        public RateLimited {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public String describe() {
            return "Givon rate limit (429), retry after " + retryAfter.toMillis() + " ms";
        }
    }

    /** 402, or a 4xx that speaks of credits, tokens or balance: the account cannot pay; stop taking work. */
    record OutOfTokens(String message) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.OUT_OF_TOKENS;
        }

        @Override
        public String describe() {
            return "Givon account is out of tokens: " + message;
        }
    }

    /** 401/403: the API key is wrong or not allowed; a configuration error, not a job error. */
    record Unauthorized(int httpStatus, String message) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.UNAUTHORIZED;
        }

        @Override
        public String describe() {
            return "Givon refused the API key (" + httpStatus + "): " + message;
        }
    }

    /** 400/422 (or 0 when refused before sending): Givon will never accept this request as it is. */
    record InvalidRequest(int httpStatus, String message) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.INVALID_REQUEST;
        }

        @Override
        public String describe() {
            return "Givon rejected the request (" + httpStatus + "): " + message;
        }
    }

    /** 404 on a status read: Givon does not know this generation. */
    record NotFound(String generationId) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }

        @Override
        public String describe() {
            return "Givon does not know generation " + generationId + " (404)";
        }
    }

    /**
     * Submit only: the request may have reached Givon but no usable answer came back, so a generation
     * may exist (and be charged). Do not resubmit blindly.
     */
    record Uncertain(String reason) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.UNCERTAIN;
        }

        @Override
        public String describe() {
            return "outcome of the Givon submission is unknown: " + reason;
        }
    }

    /** {@code follow} reached its deadline before a terminal status; {@code lastKnown} is the last status read. */
    record DeadlineExceeded(Instant deadline, GenerationStatus lastKnown) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.DEADLINE_EXCEEDED;
        }

        @Override
        public String describe() {
            return "generation " + lastKnown.generationId() + " not finished by " + deadline
                    + " (last status " + (lastKnown.rawStatus() == null ? "unknown" : lastKnown.rawStatus()) + ")";
        }
    }

    /** Anything else Givon answered that this client cannot interpret. */
    record UnexpectedResponse(int httpStatus, String message) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.UNEXPECTED_RESPONSE;
        }

        @Override
        public String describe() {
            return "unexpected Givon answer (" + httpStatus + "): " + message;
        }
    }
}
