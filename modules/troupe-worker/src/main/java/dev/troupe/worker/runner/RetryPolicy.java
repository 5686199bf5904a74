package dev.troupe.worker.runner;

import dev.troupe.givon.PollBackoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How transient Givon failures are retried: at most {@code maxAttempts} submissions, waiting a
 * random time in [0, min(max, initial x 2^(n-1))] between them (full jitter, so a fleet that failed
 * together does not retry together). 429s do not count: they follow the concurrency limiter instead.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.max-attempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("retry.initial-backoff must be > 0, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry.max-backoff must be >= retry.initial-backoff, got " + maxBackoff);
        }
    }

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** The wait after the given failed attempt (1-based): the status poller's backoff, doubling. */
    Duration backoffAfter(int attempt, DoubleSupplier random) {
        Duration ceiling = new PollBackoff(initialBackoff, maxBackoff, 2.0).ceiling(attempt - 1);
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling.toMillis()));
    }
}
