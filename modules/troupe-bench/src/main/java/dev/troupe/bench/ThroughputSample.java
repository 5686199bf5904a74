package dev.troupe.bench;

import java.util.Map;

/**
 * One steady-state throughput measurement of one system under test.
 *
 * @param jobs          results written inside the window
 * @param windowSeconds the window's length, after the warm-up
 * @param peakAtGivon   the most generations the simulator saw active at once (whole run of this sample)
 * @param duplicates    results beyond the first for a jobId (expected 0)
 * @param cpu           cores used during the window by the benchmark, and taken by steal and other processes
 * @param subjectCpu    CPU seconds the system's own threads used during the window (no GC, no JIT: see ThreadCpuMeter)
 * @param readyMillis   from starting the system to its partitions being assigned
 * @param firstResultMillis from starting the system to the first result on the topic (includes any restore)
 * @param jitSeconds    time the JIT compilers spent compiling during the window (all compiler threads; -1 if unknown)
 * @param producers     the system's Kafka producers' own metrics at the window's end ({@link ProducerMetrics}), by producer
 * @param failure       why there is no figure, or null
 */
record ThroughputSample(
        Subject.Kind subject,
        int concurrency,
        Latency latency,
        long jobs,
        double windowSeconds,
        int peakAtGivon,
        long duplicates,
        CpuMeter.Use cpu,
        ThreadCpuMeter.Use subjectCpu,
        long readyMillis,
        long firstResultMillis,
        double jitSeconds,
        Map<String, Map<String, Double>> producers,
        String failure) {

    static ThroughputSample failed(Subject.Kind subject, int concurrency, Latency latency, String why) {
        return new ThroughputSample(subject, concurrency, latency, 0, 0, 0, 0, CpuMeter.Use.NONE, ThreadCpuMeter.Use.NONE, 0, 0, -1, Map.of(), why);
    }

    boolean ok() {
        return failure == null && windowSeconds > 0;
    }

    double jobsPerSecond() {
        return ok() ? jobs / windowSeconds : Double.NaN;
    }

    /** CPU seconds the system's own threads spent per 1,000 jobs of the window. */
    double subjectCpuSecondsPerThousand() {
        return ok() && jobs > 0 ? subjectCpu.seconds() * 1000 / jobs : Double.NaN;
    }

    /** CPU seconds of the whole benchmark JVM (and interrupts) per 1,000 jobs of the window: broker and simulator included. */
    double benchCpuSecondsPerThousand() {
        return ok() && jobs > 0 ? cpu.benchCores() * windowSeconds * 1000 / jobs : Double.NaN;
    }

    /** Throughput / (C / L); NaN for L = 0 (no bound). */
    double utilization() {
        double bound = latency.boundJobsPerSecond(concurrency);
        return Double.isInfinite(bound) ? Double.NaN : jobsPerSecond() / bound;
    }
}
