package dev.troupe.bench;

/**
 * Heap (and resident memory) with a number of jobs in flight, against the same process with the same
 * consumers idle. Both heap readings are taken after {@code System.gc()}.
 *
 * @param arrangement how the jobs are held, in words
 * @param inFlight    jobs taken from Kafka and not finished
 * @param atGivon     generations active at the simulator
 * @param generationsCreated generations the simulator created: more than {@code inFlight} means some job was submitted twice
 * @param skipped     why this was not measured, or null
 */
record MemorySample(
        Subject.Kind subject,
        String arrangement,
        int inFlight,
        long atGivon,
        long generationsCreated,
        long heapBefore,
        long heapAfter,
        long rssBefore,
        long rssAfter,
        int threadsBefore,
        int threadsAfter,
        double seconds,
        String skipped) {

    static MemorySample skipped(Subject.Kind subject, String arrangement, int inFlight, String why) {
        return new MemorySample(subject, arrangement, inFlight, 0, 0, 0, 0, 0, 0, 0, 0, 0, why);
    }

    boolean ok() {
        return skipped == null;
    }

    double heapBytesPerJob() {
        return ok() ? (double) (heapAfter - heapBefore) / inFlight : Double.NaN;
    }

    /** Resident memory growth per job: off-heap memory (thread stacks, buffers) when the heap was pre-touched. */
    double rssBytesPerJob() {
        return ok() ? (double) (rssAfter - rssBefore) / inFlight : Double.NaN;
    }
}
