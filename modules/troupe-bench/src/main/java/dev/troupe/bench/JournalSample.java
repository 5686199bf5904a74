package dev.troupe.bench;

/**
 * The journal's figures on the in-JVM broker.
 *
 * @param sequentialWrites  writes timed one after the other from a Vert.x context, each awaited before the next
 * @param writeP50Micros    from {@code record()} to its future completing on the caller's context (acks=all)
 * @param pipelinedWrites   writes of the restore's jobs, sent without waiting, at most {@code inFlight} unacknowledged
 * @param jobs              jobs in the restored partition
 * @param records           records a restore read (every entry of every job)
 * @param restores          restores timed, one after the other, each with a fresh consumer
 * @param firstRestoreMillis the first restore (cold: its consumer's first connection, the JIT)
 */
record JournalSample(int sequentialWrites, double writeP50Micros, double writeP99Micros, double writeMaxMicros,
        int pipelinedWrites, int inFlight, double pipelinedWritesPerSecond, int jobs, long records, int restores,
        double firstRestoreMillis, double medianRestoreMillis, double maxRestoreMillis) {
}
