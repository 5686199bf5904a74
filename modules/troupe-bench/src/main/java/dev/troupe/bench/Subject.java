package dev.troupe.bench;

/** A system under test: consumes the stage's jobs topic and writes one result per job. */
sealed interface Subject extends AutoCloseable permits TroupeSubject, BlockingBaseline {

    /** Which implementation, as the tables name it. */
    enum Kind {
        TROUPE("Troupe"),
        BASELINE("baseline");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        Subject start(Deployment deployment) {
            return switch (this) {
                case TROUPE -> TroupeSubject.start(deployment);
                case BASELINE -> BlockingBaseline.start(deployment);
            };
        }
    }

    /**
     * Whether a thread of this JVM works for this system (by its name), so that its CPU can be told
     * apart from the broker's, the simulator's and the harness's.
     */
    boolean ownsThread(String threadName);

    /** Partitions assigned: it will take records as soon as they arrive. */
    boolean ready();

    /** Stops taking jobs and finishes the ones in hand within a short grace; abandons the rest. */
    @Override
    void close();
}
