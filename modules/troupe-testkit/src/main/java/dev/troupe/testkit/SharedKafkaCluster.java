package dev.troupe.testkit;

/**
 * The per-JVM cluster as {@link JvmKafkaCluster} keeps it: closed when the JVM exits, which stops
 * whatever this JVM started (an external cluster is left running).
 */
final class SharedKafkaCluster implements AutoCloseable {

    /** What this JVM started for the cluster, stopped last. */
    @FunctionalInterface
    interface Backend {
        void stop();
    }

    private final KafkaCluster cluster;
    private final Backend backend;

    SharedKafkaCluster(KafkaCluster cluster, Backend backend) {
        this.cluster = cluster;
        this.backend = backend;
    }

    KafkaCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        try {
            cluster.closeClients();
        } finally {
            backend.stop();
        }
    }
}
