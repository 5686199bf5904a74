package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import java.time.Duration;
import java.time.Instant;

/**
 * One budget: at most {@code limit} tokens per window of {@code window}. Windows are fixed and aligned
 * to the Unix epoch (index = floor(epochMillis / windowMillis)), so every worker computes the same
 * window for the same instant; a day-long window runs from midnight to midnight UTC.
 *
 * @param limit       tokens per window, greater than zero
 * @param window      window length, a positive whole number of milliseconds
 * @param onExhausted what the runner does with jobs once the window is spent
 */
public record BudgetRule(Tokens limit, Duration window, ExhaustionPolicy onExhausted) {

    public BudgetRule {
        if (limit == null) {
            throw new IllegalArgumentException("limit is required");
        }
        if (!limit.exceeds(Tokens.ZERO)) {
            throw new IllegalArgumentException("limit must be greater than 0, was " + limit);
        }
        if (window == null) {
            throw new IllegalArgumentException("window is required");
        }
        if (window.isNegative() || window.isZero() || window.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    "window must be a positive whole number of milliseconds, was " + window);
        }
        if (onExhausted == null) {
            throw new IllegalArgumentException("onExhausted is required");
        }
    }

    /** The index of the window containing {@code instant}. */
    public long windowIndex(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), window.toMillis());
    }

    public Instant windowStart(long windowIndex) {
        return Instant.ofEpochMilli(Math.multiplyExact(windowIndex, window.toMillis()));
    }

    /** The start of the next window, when a spent budget refills. */
    public Instant windowEnd(long windowIndex) {
        return windowStart(windowIndex + 1);
    }
}
