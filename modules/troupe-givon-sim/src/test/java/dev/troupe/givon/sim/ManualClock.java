package dev.troupe.givon.sim;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Real time that only moves when a test says so. */
final class ManualClock implements LongSupplier {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    void advance(Duration real) {
        nanos.addAndGet(real.toNanos());
    }

    /** A simulator clock at compression 1: simulated time is this clock's time. */
    SimClock simClock() {
        return new SimClock(1, this);
    }
}
