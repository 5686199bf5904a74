package dev.troupe.givon.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated time that only moves when a test calls {@link #advance}; the simulator's
 * {@code timeCompression} does not apply to it. Thread-safe: a test thread advances it while the
 * simulator reads it on its event loop. Only generations' lives follow it; network behaviour
 * (trickled answers, unanswered requests) stays in real time.
 */
public final class ManualSimClock extends SimClock {

    private final AtomicLong nanos;

    ManualSimClock() {
        this(new AtomicLong(1_000_000_000L));
    }

    private ManualSimClock(AtomicLong nanos) {
        super(1, nanos::get);
        this.nanos = nanos;
    }

    /** Moves simulated time forward: every generation whose end has come is over at the next request or snapshot. */
    public void advance(Duration simulated) {
        Objects.requireNonNull(simulated, "simulated");
        if (simulated.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, got " + simulated);
        }
        nanos.addAndGet(simulated.toNanos());
    }
}
