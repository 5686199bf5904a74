package dev.troupe.givon;

import java.time.Duration;

/**
 * Where a follow's status reads start: at once (as {@link PollBackoff} alone has it), or near the
 * time by which a model's generations begin to end, learned per model from the generations this
 * client followed from their acceptance.
 *
 * <p>The learned time is the 20th percentile of the model's
 * generation time (a generation's end is taken between the last status read that saw it running and
 * the read that saw it succeed), kept within {@code [floor, ceiling]}. With it a follow reads first at
 * that time after the acceptance, then at waits that keep today's detection delay (see
 * {@link GenerationFollower}); with no history yet, or a learned time at the floor, it follows
 * {@link PollBackoff} alone: the first read right after the acceptance.
 *
 * @param learn   whether to learn and use the per-model start, default true
 * @param floor   a learned start at or below this is not worth waiting for: the first read comes at
 *                once (generations that end at once keep being read at once), default 1 s; must be > 0
 * @param ceiling the latest a first read may come after the acceptance however slow the model was,
 *                default 5 min; must be >= {@code floor}
 */
public record PollStart(boolean learn, Duration floor, Duration ceiling) {

    /** Learned, within [1 s, 5 min]. */
    public static final PollStart DEFAULT = new PollStart(true, Duration.ofSeconds(1), Duration.ofMinutes(5));

    /** Not learned: every follow reads at once, then on {@link PollBackoff} alone. */
    public static final PollStart AT_ONCE = new PollStart(false, DEFAULT.floor, DEFAULT.ceiling);

    public PollStart {
        if (floor == null || floor.isNegative() || floor.isZero()) {
            throw new IllegalArgumentException("pollStart.floor must be > 0, got " + floor);
        }
        if (ceiling == null || ceiling.compareTo(floor) < 0) {
            throw new IllegalArgumentException("pollStart.ceiling must be >= pollStart.floor (" + floor + "), got " + ceiling);
        }
    }

    /** The same start with {@code learn} set. */
    public PollStart learning(boolean value) {
        return new PollStart(value, floor, ceiling);
    }
}
