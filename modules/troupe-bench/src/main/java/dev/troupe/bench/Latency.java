package dev.troupe.bench;

import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.sim.SimulatorConfig;
import java.time.Duration;
import java.util.Random;

/**
 * A simulated generation latency L in real time, and the status-polling pace that goes with it.
 *
 * <p>The simulator runs {@value #COMPRESSION}x compressed, so L = 50 ms is a 50 s generation. Polls
 * follow Troupe's follower: one read right after the submission, then waits drawn uniformly in
 * [0, L/4] (full jitter). {@link PollBackoff} needs max >= initial, so "initial about L with a small
 * max" is not expressible; L/4 for both keeps the detection delay near L/12 at about ten reads per
 * job. Both Troupe and the baseline poll at this pace.
 */
record Latency(Duration real) {

    static final double COMPRESSION = 1000;

    static Latency ofMillis(long millis) {
        return new Latency(Duration.ofMillis(millis));
    }

    /** Generations that never end while a measurement lasts (simulator time not compressed). */
    static Latency hold() {
        return new Latency(Duration.ofHours(1));
    }

    long millis() {
        return real.toMillis();
    }

    /** Little's law: the most jobs per second that C concurrent generations of length L can finish. */
    double boundJobsPerSecond(int concurrency) {
        return real.isZero() ? Double.POSITIVE_INFINITY : concurrency / (real.toNanos() / 1e9);
    }

    /** Simulator settings for generations of exactly L; L = 0 ends a generation at once. */
    SimulatorConfig.Builder simulator() {
        double compression = compression();
        Duration simulated = Duration.ofNanos(Math.round(real.toNanos() * compression));
        return SimulatorConfig.builder().fixedGenerationTime(simulated).timeCompression(compression);
    }

    /** Simulated time per real time: {@value #COMPRESSION}, or 1 for generations longer than a minute. */
    double compression() {
        return real.compareTo(Duration.ofMinutes(1)) > 0 ? 1 : COMPRESSION;
    }

    PollBackoff pollBackoff() {
        Duration quarter = real.dividedBy(4);
        Duration wait = quarter.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : quarter;
        return new PollBackoff(wait, wait, 1.0);
    }

    /**
     * The utilization the polling pace alone allows, L / E[time of the first read at or after L],
     * estimated by drawing the poll schedule; 1 for L = 0.
     */
    double pollingCeiling() {
        if (real.isZero()) {
            return 1.0;
        }
        PollBackoff backoff = pollBackoff();
        Random random = new Random(7);
        long l = real.toNanos();
        double total = 0;
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            long t = 0;
            for (int step = 0; t < l; step++) {
                t += backoff.delay(step, random).toNanos();
            }
            total += t;
        }
        return l / (total / draws);
    }

    @Override
    public String toString() {
        return real.toMillis() + " ms";
    }
}
