package dev.troupe.bench;

import java.util.Arrays;

/**
 * {@link dev.troupe.worker.budget.FleetBudgetLog}'s figures on the in-JVM broker.
 *
 * @param sequential       reservations one at a time: from {@code reserve()} on a Vert.x event loop to the
 *                         decision back on that event loop (as the runner gets it), each awaited before the next
 * @param concurrent       reservations with {@code inFlight} outstanding, timed the same way
 * @param concurrentPerSecond decisions per second with {@code inFlight} outstanding
 * @param settleAck        settlements one at a time: from {@code settle()} to its future (Kafka has the record)
 * @param settleReadBack   the same settlements: from {@code settle()} to the reader applying it (capacity freed)
 */
record BudgetLogSample(Timing sequential, Timing concurrent, int inFlight, double concurrentPerSecond, Timing settleAck,
                       Timing settleReadBack) {

    /** Latencies of {@code count} calls, in microseconds. */
    record Timing(int count, double p50Micros, double p99Micros, double maxMicros) {

        static Timing of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Timing(sorted.length, percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3,
                    sorted[sorted.length - 1] / 1e3);
        }

        private static double percentile(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
        }
    }
}
