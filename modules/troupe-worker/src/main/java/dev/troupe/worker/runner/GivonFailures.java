package dev.troupe.worker.runner;

import dev.troupe.givon.GivonError;
import dev.troupe.model.JobResult;

/** How a Givon failure reads in a result and in a progress event. */
final class GivonFailures {

    private GivonFailures() {
    }

    static String describe(GivonError error, Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : String.valueOf(error);
    }

    /**
     * The result error of a submission that failed for good; Givon never accepted the job. (Out of
     * tokens and a refused key hold every job instead of failing this one; their codes stay for
     * completeness of the switch.)
     */
    static JobResult.Error submitFailure(GivonError error, Throwable cause, int attempts) {
        String message = describe(error, cause);
        return switch (error.kind()) {
            case RETRYABLE -> JobResult.Error.of("GIVON_UNAVAILABLE", "gave up after " + attempts + " attempt(s): " + message, true);
            case OUT_OF_TOKENS -> JobResult.Error.of("GIVON_OUT_OF_TOKENS", message, true);
            case UNAUTHORIZED -> JobResult.Error.of("GIVON_UNAUTHORIZED", message, false);
            case INVALID_REQUEST -> JobResult.Error.of("GIVON_INVALID_REQUEST", message, false);
            case RATE_LIMITED, NOT_FOUND, UNCERTAIN, DEADLINE_EXCEEDED, UNEXPECTED_RESPONSE ->
                    JobResult.Error.of("GIVON_ERROR", message, false);
        };
    }

    private static String statusClass(int httpStatus) {
        return httpStatus < 0 ? "no_response" : httpStatus >= 500 ? "5xx" : httpStatus >= 400 ? "4xx" : "other";
    }

    /** The status class a retry's progress event names (2xx, 4xx, 429, 5xx, connection, no_response, other). */
    static String statusClass(GivonError error) {
        return switch (error.kind()) {
            case RATE_LIMITED -> "429";
            case UNCERTAIN -> statusClass(((GivonError.Uncertain) error).httpStatus());
            case RETRYABLE -> ((GivonError.Retryable) error).httpStatus() < 0 ? "connection"
                    : statusClass(((GivonError.Retryable) error).httpStatus());
            case OUT_OF_TOKENS, UNAUTHORIZED, INVALID_REQUEST, NOT_FOUND -> "4xx";
            case DEADLINE_EXCEEDED, UNEXPECTED_RESPONSE -> "other";
        };
    }
}
