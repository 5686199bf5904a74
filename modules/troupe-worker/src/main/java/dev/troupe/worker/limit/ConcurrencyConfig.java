package dev.troupe.worker.limit;

import java.time.Duration;

/**
 * Settings of a {@link ConcurrencyLimiter}, validated on construction; an error names the field.
 *
 * @param maxConcurrency      C, the hard cap on jobs in flight per worker and the starting limit (1..5,000)
 * @param decreaseFactor      the limit is multiplied by this on a rate limit (0 &lt; f &lt; 1; default 0.5)
 * @param additiveIncrease    added to the limit per success (at least 1; default 1)
 * @param minDecreaseInterval at least this long between two decreases, so a burst of 429s answering
 *                            requests sent together counts once (default 1 s)
 * @param maxPause            the longest pause a {@code Retry-After} may impose (default 5 min)
 */
public record ConcurrencyConfig(
        int maxConcurrency,
        double decreaseFactor,
        int additiveIncrease,
        Duration minDecreaseInterval,
        Duration maxPause) {

    public static final int MAX_CONCURRENCY_CEILING = 5_000;
    public static final double DEFAULT_DECREASE_FACTOR = 0.5;
    public static final int DEFAULT_ADDITIVE_INCREASE = 1;
    public static final Duration DEFAULT_MIN_DECREASE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_PAUSE = Duration.ofMinutes(5);

    public ConcurrencyConfig {
        if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY_CEILING) {
            throw new IllegalArgumentException("maxConcurrency must be between 1 and " + MAX_CONCURRENCY_CEILING
                    + ", was " + maxConcurrency);
        }
        if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
            throw new IllegalArgumentException(
                    "decreaseFactor must be greater than 0 and less than 1, was " + decreaseFactor);
        }
        if (additiveIncrease < 1) {
            throw new IllegalArgumentException("additiveIncrease must be at least 1, was " + additiveIncrease);
        }
        if (minDecreaseInterval == null || minDecreaseInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "minDecreaseInterval must be zero or positive, was " + minDecreaseInterval);
        }
        if (maxPause == null || maxPause.isNegative() || maxPause.isZero()) {
            throw new IllegalArgumentException("maxPause must be positive, was " + maxPause);
        }
    }

    /** The given cap with every other setting at its default. */
    public static ConcurrencyConfig withMaxConcurrency(int maxConcurrency) {
        return new ConcurrencyConfig(maxConcurrency, DEFAULT_DECREASE_FACTOR, DEFAULT_ADDITIVE_INCREASE,
                DEFAULT_MIN_DECREASE_INTERVAL, DEFAULT_MAX_PAUSE);
    }
}
