package dev.troupe.bench;

/**
 * One steady-state throughput measurement of one system under test.
 *
 * @param jobs          results written inside the window
 * @param windowSeconds the window's length, after the warm-up
 * @param peakAtGivon   the most generations the simulator saw active at once (whole run of this sample)
 * @param duplicates    results beyond the first for a jobId (expected 0)
 * @param cpu           cores used during the window by the benchmark, and taken by steal and other processes
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
        String failure) {

    static ThroughputSample failed(Subject.Kind subject, int concurrency, Latency latency, String why) {
        return new ThroughputSample(subject, concurrency, latency, 0, 0, 0, 0, CpuMeter.Use.NONE, why);
    }

    boolean ok() {
        return failure == null && windowSeconds > 0;
    }

    double jobsPerSecond() {
        return ok() ? jobs / windowSeconds : Double.NaN;
    }

    /** Throughput / (C / L); NaN for L = 0 (no bound). */
    double utilization() {
        double bound = latency.boundJobsPerSecond(concurrency);
        return Double.isInfinite(bound) ? Double.NaN : jobsPerSecond() / bound;
    }
}
