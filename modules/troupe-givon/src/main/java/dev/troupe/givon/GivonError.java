package dev.troupe.givon;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a Givon call failed, as a closed set. The project targets Java 17, where {@code switch} cannot
 * match record types yet, so every error also names its {@link Kind}: a {@code switch} expression on
 * {@code error.kind()} is checked for exhaustiveness by the compiler, then a cast gives the record.
 * Messages may quote Givon's answers (redacted and bounded) but never contain the API key.
 *
 * <h2>Which answers to a submission prove that nothing was created</h2>
 *
 * A 5xx to a POST may come after Givon created (and charged) the generation, e.g. from a gateway
 * that lost Givon's answer, so only answers that refuse the request before any work say "nothing
 * was created":
 * <ul>
 *   <li>429 (rate limited, {@link RateLimited}), including a 4xx with a configured concurrency-limit code;</li>
 *   <li>503 <em>with</em> a {@code Retry-After} header: a server that asks to be called back later has
 *       not taken the work ({@link Retryable});</li>
 *   <li>the refusals 400, 401, 402, 403, 404, 415 and 422, and any 4xx with a configured out-of-credit
 *       code ({@link InvalidRequest}, {@link Unauthorized}, {@link OutOfTokens}, {@link UnexpectedResponse}
 *       for a 404 of the submit path);</li>
 *   <li>a transport failure before the request was written: no connection, no pool slot, TLS failure
 *       ({@link Retryable} with {@code httpStatus} -1, see {@code TransportFailure}).</li>
 * </ul>
 * Every other answer to a POST (500, 502, 504, 503 without {@code Retry-After}, 408, 3xx, any other
 * status, a 2xx without a usable generation id, an answer cut by the request deadline or too large)
 * is {@link Uncertain}: Givon may hold a generation for the job. Answers to a status read are
 * idempotent and keep their plain meaning: 408 and 5xx are {@link Retryable}.
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
     * Transient, safe to try again: for a status read 408, 5xx, a 2xx that is not a JSON object, or any
     * transport failure ({@code httpStatus} -1); for a submission only a 503 with {@code Retry-After} or
     * a failure before the request was written ({@code httpStatus} -1).
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
            String wait;
            try {
                wait = retryAfter.toMillis() + " ms";
            } catch (ArithmeticException e) {
                // Beyond 292 million years: a Duration made elsewhere must not break a log line.
                wait = retryAfter.getSeconds() + " s";
            }
            return "Givon rate limit (429), retry after " + wait;
        }
    }

    /**
     * The account cannot pay; stop taking work. Only from a configured out-of-credit status (402 by
     * default) or a 4xx with a configured out-of-credit code (Kling's 1101/1102), never from the
     * words of a message.
     */
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
     * Submit only: the request may have reached Givon but no answer proves that nothing was created,
     * so a generation may exist (and be charged). Do not resubmit blindly (see
     * {@link GivonConfig.Idempotency}).
     *
     * @param httpStatus the status Givon (or a gateway) answered, or -1 when no answer came
     */
    record Uncertain(int httpStatus, String reason) implements GivonError {
        @Override
        public Kind kind() {
            return Kind.UNCERTAIN;
        }

        @Override
        public String describe() {
            return "outcome of the Givon submission is unknown (" + (httpStatus < 0 ? "no answer" : "HTTP " + httpStatus)
                    + "): " + reason;
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
