package dev.troupe.givon.sim;

/** The two forms RFC 9110 allows for a {@code Retry-After} header. */
public enum RetryAfterFormat {
    /** Whole seconds, rounded up: {@code Retry-After: 2}. */
    SECONDS,
    /** An IMF-fixdate: {@code Retry-After: Sun, 06 Nov 1994 08:49:37 GMT}. */
    HTTP_DATE
}
