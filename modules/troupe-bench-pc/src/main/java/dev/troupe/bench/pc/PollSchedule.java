package dev.troupe.bench.pc;

import java.util.random.RandomGenerator;

/**
 * Troupe's status-poll schedule, as the subject contract states it (troupe-givon's {@code PollBackoff},
 * not on this class path): one read right after the POST, then the n-th wait (n from 0) is uniform in
 * {@code [0, min(max, initial * multiplier^n)]} (full jitter), until the status is terminal.
 */
record PollSchedule(long initialNanos, long maxNanos, double multiplier) {

    /** One hour: any longer wait is a unit mistake, not a bench setting. */
    static final double MAX_MILLIS = 3_600_000;

    PollSchedule {
        if (initialNanos <= 0 || maxNanos < initialNanos) {
            throw new IllegalArgumentException("poll-max-ms must be >= poll-initial-ms > 0, got initial " + initialNanos
                    + " ns, max " + maxNanos + " ns");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("poll-multiplier must be a finite number >= 1.0, got " + multiplier);
        }
    }

    static PollSchedule ofMillis(double initialMs, double maxMs, double multiplier) {
        return new PollSchedule(Math.round(initialMs * 1_000_000), Math.round(maxMs * 1_000_000), multiplier);
    }

    /** The upper bound of the n-th wait, in nanoseconds. */
    long ceilingNanos(int step) {
        double nanos = initialNanos * Math.pow(multiplier, Math.max(0, step));
        return nanos >= maxNanos ? maxNanos : (long) nanos;
    }

    /**
     * The n-th wait in whole milliseconds for a Vert.x timer: drawn uniformly in {@code [0, ceiling]}, then at
     * least 1 ms (a timer's minimum; the blocking baseline sleeps at least 1 ms too).
     */
    long delayMillis(int step, RandomGenerator random) {
        long nanos = random.nextLong(ceilingNanos(step) + 1);
        return Math.max(1, nanos / 1_000_000);
    }

    @Override
    public String toString() {
        return "PollSchedule[initial=" + initialNanos / 1e6 + " ms, max=" + maxNanos / 1e6 + " ms, multiplier=" + multiplier + "]";
    }
}
