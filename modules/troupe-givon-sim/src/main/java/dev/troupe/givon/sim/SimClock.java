package dev.troupe.givon.sim;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Real monotonic time, and the conversion of simulated durations into it. */
final class SimClock {

    private final double compression;
    private final LongSupplier nanoTime;

    SimClock(double compression) {
        this(compression, System::nanoTime);
    }

    SimClock(double compression, LongSupplier nanoTime) {
        this.compression = compression;
        this.nanoTime = nanoTime;
    }

    long nowNanos() {
        return nanoTime.getAsLong();
    }

    /** Real nanoseconds that a simulated duration lasts. */
    long realNanos(Duration simulated) {
        return Math.round(simulated.toNanos() / compression);
    }
}
