package dev.troupe.givon;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The waits between one follow's status reads, given how long ago Givon accepted the generation and
 * the model's learned start ({@link GenerationTimes#startNanos}, {@link GenerationTimes#AT_ONCE} when
 * none).
 *
 * <p>With no learned start it is {@link PollBackoff} exactly: the first read at once, the n-th wait
 * drawn in {@code [0, ceiling(n)]}. With one, no read comes before it (a follow begun before it was
 * learned waits for it too), and from there each wait is drawn close to a fixed length instead of
 * across the whole range: {@link #PACE} of today's ceiling at that elapsed time, within
 * +-{@link #JITTER}. A generation ending at a random moment is seen on average a third of the
 * ceiling late under full jitter, and half a wait late under near-fixed waits: so these waits give
 * the same detection delay with a third fewer reads. Pure: the caller owns the random source.
 */
final class PollSchedule {

    /** Spread of the first read below the learned start, so generations accepted together are not all read together. */
    static final double FIRST_READ_SPREAD = 0.1;
    /** Relative half-width of a paced wait. */
    static final double JITTER = 0.25;
    /**
     * A paced wait's mean as a share of today's ceiling: 2/3 (twice today's mean delay C/3), less the
     * jitter's own cost (a wait uniform within +-j of w is seen w/2 x (1 + j^2/3) late on average).
     */
    static final double PACE = (2.0 / 3.0) / (1 + JITTER * JITTER / 3);
    private static final int MAX_STEPS = 64;

    private final PollBackoff backoff;

    PollSchedule(PollBackoff backoff) {
        this.backoff = backoff;
    }

    /** The wait before the first read, {@code elapsedNanos} after the acceptance. */
    Duration first(long elapsedNanos, long startNanos, RandomGenerator random) {
        if (startNanos <= GenerationTimes.AT_ONCE) {
            return Duration.ZERO;
        }
        long at = startNanos - (long) (startNanos * FIRST_READ_SPREAD * random.nextDouble());
        return at > elapsedNanos ? Duration.ofNanos(at - elapsedNanos) : Duration.ZERO;
    }

    /**
     * The wait after a read that saw the generation running; {@code step} counts today's draws (n). A
     * follow still short of the learned start (it began before the start was learned) waits for it as a
     * first read would; one past the start's spread (its first read was there) is paced.
     */
    Duration next(long elapsedNanos, long startNanos, int step, RandomGenerator random) {
        if (startNanos <= GenerationTimes.AT_ONCE) {
            return backoff.delay(step, random);
        }
        if (elapsedNanos < startNanos - (long) (startNanos * FIRST_READ_SPREAD)) {
            return first(elapsedNanos, startNanos, random);
        }
        double mean = PACE * ceilingAt(elapsedNanos).toNanos();
        double drawn = mean * (1 - JITTER + 2 * JITTER * random.nextDouble());
        return Duration.ofNanos(Math.max(1, (long) drawn));
    }

    /**
     * Today's ceiling at {@code elapsedNanos}: that of the wait today's schedule would be drawing then,
     * on average (its n-th wait starts after the mean of the waits before it, sum of ceiling(i)/2).
     */
    Duration ceilingAt(long elapsedNanos) {
        long before = 0;
        int step = 0;
        Duration ceiling = backoff.ceiling(0);
        while (step < MAX_STEPS && ceiling.compareTo(backoff.max()) < 0) {
            long after = before + ceiling.toNanos() / 2;
            if (after > elapsedNanos) {
                break;
            }
            before = after;
            Duration grown = backoff.ceiling(++step);
            if (grown.equals(ceiling)) {
                break;
            }
            ceiling = grown;
        }
        return ceiling;
    }
}
