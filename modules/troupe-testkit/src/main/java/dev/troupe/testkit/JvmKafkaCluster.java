package dev.troupe.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one {@link KafkaCluster} of this test JVM, whichever test engine asks: {@link KafkaClusterExtension}
 * takes it from here for JUnit Jupiter, and engines that do not run Jupiter extensions (jqwik) call
 * {@link #get()} from their own lifecycle hooks ({@code @BeforeProperty}, {@code @BeforeContainer}).
 *
 * <p>Started on the first {@link #get()}, stopped when the JVM exits. Not by JUnit's root store: that
 * store belongs to one engine and is closed when that engine ends, and Surefire runs the Jupiter and
 * jqwik engines one after the other in the same JVM, so the second engine would start a second cluster.
 * Thread-safe. A cluster that failed to start is not tried again: every later call fails with the
 * same cause, rather than each test class waiting out the same timeout.
 */
public final class JvmKafkaCluster {

    private static final AtomicInteger STARTS = new AtomicInteger();
    private static SharedKafkaCluster shared;
    private static RuntimeException failedStart;

    private JvmKafkaCluster() {
    }

    /** The cluster of this JVM, started now if it is the first call; shared, do not close it. */
    public static synchronized KafkaCluster get() {
        if (failedStart != null) {
            throw new IllegalStateException("The Kafka cluster of this test JVM did not start: " + failedStart.getMessage(),
                    failedStart);
        }
        if (shared == null) {
            STARTS.incrementAndGet();
            try {
                shared = KafkaClusterProvisioning.provision(System.getenv());
            } catch (RuntimeException e) {
                failedStart = e;
                throw e;
            }
            SharedKafkaCluster started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "troupe-testkit-kafka-stop"));
        }
        return shared.cluster();
    }

    /** How many clusters this JVM started: one, however many classes and engines use it. */
    static int starts() {
        return STARTS.get();
    }
}
