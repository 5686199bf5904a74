package dev.troupe.givon.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How long a generation takes in simulated time: log-normal around {@code median}, clamped to
 * {@code [min, max]}. {@code min == max} gives a fixed time (zero is allowed: done at once).
 */
public record GenerationTime(Duration min, Duration median, Duration max) {

    /** z-score of the 99th percentile: {@code max} (or {@code min}) sits about there before clamping. */
    private static final double Z_99 = 2.326;

    public static final GenerationTime DEFAULT =
            new GenerationTime(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(180));

    public GenerationTime {
        Objects.requireNonNull(min, "generationTime.min must be set");
        Objects.requireNonNull(median, "generationTime.median must be set");
        Objects.requireNonNull(max, "generationTime.max must be set");
        if (min.isNegative()) {
            throw new IllegalArgumentException("generationTime.min must be >= 0, got " + min);
        }
        if (median.compareTo(min) < 0 || median.compareTo(max) > 0) {
            throw new IllegalArgumentException("generationTime.median must lie in [min, max], got min="
                    + min + " median=" + median + " max=" + max);
        }
    }

    public static GenerationTime fixed(Duration time) {
        return new GenerationTime(time, time, time);
    }

    public boolean isFixed() {
        return min.equals(max);
    }

    /** Draws one generation time; uses exactly one Gaussian draw unless fixed, so runs replay. */
    Duration sample(Random random) {
        if (isFixed()) {
            return min;
        }
        double sigma = sigma();
        double medianNanos = median.toNanos();
        double drawn = medianNanos * Math.exp(sigma * random.nextGaussian());
        long clamped = Math.max(min.toNanos(), Math.min(max.toNanos(), Math.round(drawn)));
        return Duration.ofNanos(clamped);
    }

    private double sigma() {
        double medianNanos = median.toNanos();
        if (medianNanos <= 0) {
            return 0;
        }
        if (max.compareTo(median) > 0) {
            return Math.log(max.toNanos() / medianNanos) / Z_99;
        }
        return min.isZero() ? 0 : Math.log(medianNanos / min.toNanos()) / Z_99;
    }
}
