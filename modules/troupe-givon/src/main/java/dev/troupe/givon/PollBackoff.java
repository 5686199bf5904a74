package dev.troupe.givon;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter for status polling: the n-th wait (n from 0) is uniformly
 * random in {@code [0, min(max, initial * multiplier^n)]}. Full jitter spreads a fleet's polls so
 * that 1,000 generations submitted together are not polled together.
 */
public record PollBackoff(Duration initial, Duration max, double multiplier) {

    /** 5 s growing by 2.0 to 30 s. */
    public static final PollBackoff DEFAULT = new PollBackoff(Duration.ofSeconds(5), Duration.ofSeconds(30), 2.0);

    public PollBackoff {
        Objects.requireNonNull(initial, "pollBackoff.initial");
        Objects.requireNonNull(max, "pollBackoff.max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("pollBackoff.initial must be > 0, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("pollBackoff.max must be >= pollBackoff.initial (" + initial + "), got " + max);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("pollBackoff.multiplier must be a finite number >= 1.0, got " + multiplier);
        }
    }

    /** The upper bound of the n-th wait: {@code min(max, initial * multiplier^n)}. */
    public Duration ceiling(int attempt) {
        double nanos = initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt));
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }

    /** The n-th wait, uniformly drawn in {@code [0, ceiling(n)]}. */
    public Duration delay(int attempt, RandomGenerator random) {
        long bound = ceiling(attempt).toNanos();
        return Duration.ofNanos(random.nextLong(bound + 1));
    }
}
