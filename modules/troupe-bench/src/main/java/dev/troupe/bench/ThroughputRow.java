package dev.troupe.bench;

/** One row of the utilization table (or the dispatch ceiling): Troupe and the baseline under the same C and L. */
record ThroughputRow(int concurrency, Latency latency, ThroughputSample troupe, ThroughputSample baseline) {

    double bound() {
        return latency.boundJobsPerSecond(concurrency);
    }

    /** Troupe's throughput divided by the baseline's: above 1, Troupe finished more jobs per second. */
    double ratio() {
        return troupe.jobsPerSecond() / baseline.jobsPerSecond();
    }
}
