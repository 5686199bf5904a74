package dev.troupe.givon;

import java.util.Objects;

/**
 * What one cheap authenticated call ({@link GivonClient#checkAccess()}) says about the API key:
 * Givon accepted it, refused it, or the call could not tell.
 *
 * @param verdict    the outcome
 * @param httpStatus Givon's status, or -1 when no answer came
 * @param detail     what Givon said or why nothing could be said (redacted, bounded); never the key
 */
public record AccessCheck(Verdict verdict, int httpStatus, String detail) {

    /** The three answers a key check can give. */
    public enum Verdict {
        /** Givon answered as to a known key (404 for the sentinel generation, or a 2xx). */
        ACCEPTED,
        /** Givon answered 401 or 403: the key is wrong or not allowed; no job can succeed with it. */
        REFUSED,
        /** Anything else (5xx, 429, an unreachable Givon, a timeout): ask again later. */
        UNKNOWN
    }

    public AccessCheck {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    /** One line for a log: {@code Givon refused the API key (401): Invalid API key}. */
    public String describe() {
        String status = httpStatus < 0 ? "no answer" : "HTTP " + httpStatus;
        return switch (verdict) {
            case ACCEPTED -> "Givon accepted the API key (" + status + ")";
            case REFUSED -> "Givon refused the API key (" + status + "): " + detail;
            case UNKNOWN -> "Givon could not confirm the API key (" + status + "): " + detail;
        };
    }
}
