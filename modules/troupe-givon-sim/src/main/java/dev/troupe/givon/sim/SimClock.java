package dev.troupe.givon.sim;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The simulator's time: real monotonic time, in which a simulated duration lasts
 * {@code 1 / timeCompression} as long; or a {@link ManualSimClock} that moves only when a test says
 * so, for tests that must not race the wall clock ({@link GivonSimulator#start(io.vertx.core.Vertx,
 * SimulatorConfig, SimClock)}).
 */
public sealed class SimClock permits ManualSimClock {

    private final double compression;
    private final LongSupplier nanoTime;

    SimClock(double compression) {
        this(compression, System::nanoTime);
    }

    SimClock(double compression, LongSupplier nanoTime) {
        this.compression = compression;
        this.nanoTime = nanoTime;
    }

    /**
     * A clock that stands still until {@link ManualSimClock#advance} moves it: a generation then ends
     * exactly when the test has advanced its simulated time, however busy the machine is.
     */
    public static ManualSimClock manual() {
        return new ManualSimClock();
    }

    long nowNanos() {
        return nanoTime.getAsLong();
    }

    /** Real nanoseconds that a simulated duration lasts. */
    long realNanos(Duration simulated) {
        return Math.round(simulated.toNanos() / compression);
    }
}
