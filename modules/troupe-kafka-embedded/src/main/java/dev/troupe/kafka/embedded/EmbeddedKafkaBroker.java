package dev.troupe.kafka.embedded;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node Kafka cluster (KRaft broker and controller in one node) running inside this JVM,
 * listening on 127.0.0.1 only. It is a real broker: groups, idempotent and transactional producers,
 * compacted topics and read_committed consumers all work.
 *
 * <p>{@link #start(Options)} returns once a client can reach the broker. With no data directory
 * the broker lives in a temporary directory that {@link #close()} deletes; with one, the data
 * survives restarts. Several brokers can run in one JVM.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int PORT_ATTEMPTS = 3;
    private static final Duration CREATE_TOPICS_TIMEOUT = Duration.ofSeconds(30);

    private final KRaftNode node;
    private final Admin admin;
    private final String bootstrapServers;
    private final Path dataDirectory;
    private final boolean temporaryDirectory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KRaftNode node, Admin admin, String bootstrapServers, Path dataDirectory,
                                boolean temporaryDirectory) {
        this.node = node;
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.dataDirectory = dataDirectory;
        this.temporaryDirectory = temporaryDirectory;
    }

    /**
     * Starts a broker and blocks until a client can reach it.
     *
     * @throws IllegalStateException when the broker does not start or is not reachable in time
     * @throws UncheckedIOException when the data directory cannot be created
     */
    public static EmbeddedKafkaBroker start(Options options) {
        Objects.requireNonNull(options, "options");
        long startNanos = System.nanoTime();
        boolean temporary = options.dataDirectory() == null;
        Path directory = DataDirectory.prepare(options.dataDirectory());
        KafkaLogLevels.quiet();
        KRaftNode node = null;
        try {
            RunningNode running = startOnFreePorts(directory, options);
            node = running.node();
            String bootstrap = "127.0.0.1:" + running.clientPort();
            Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.CLIENT_ID_CONFIG, "troupe-embedded-broker-admin"));
            try {
                awaitReachable(admin, bootstrap, startNanos + options.startTimeout().toNanos());
            } catch (RuntimeException e) {
                admin.close(Duration.ZERO);
                throw e;
            }
            return new EmbeddedKafkaBroker(node, admin, bootstrap, directory, temporary);
        } catch (RuntimeException e) {
            cleanUpFailedStart(node, directory, temporary, e);
            throw e;
        }
    }

    /** The address clients use, {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Where the broker keeps its logs and metadata. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Creates the topics that do not exist yet and waits until every partition has a leader and answers
     * an offset request.
     * Existing topics are left as they are (their partition count is not changed).
     *
     * @param partitionsByName partition count per topic name
     */
    public void createTopics(Map<String, Integer> partitionsByName) {
        ensureOpen();
        List<NewTopic> topics = new ArrayList<>();
        partitionsByName.forEach((name, partitions) ->
                topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty())));
        long deadline = System.nanoTime() + CREATE_TOPICS_TIMEOUT.toNanos();
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                await(future, deadline);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
        });
        awaitLeaders(partitionsByName.keySet(), deadline);
    }

    /** Shuts the broker down; deletes the data directory when it was a temporary one. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            admin.close(Duration.ofSeconds(2));
            node.stop();
        } finally {
            if (temporaryDirectory) {
                DataDirectory.delete(dataDirectory);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers + ", " + dataDirectory + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The embedded Kafka broker at " + bootstrapServers + " is closed");
        }
    }

    private void awaitLeaders(Iterable<String> names, long deadline) {
        List<String> topics = new ArrayList<>();
        names.forEach(topics::add);
        while (true) {
            try {
                Map<String, TopicDescription> described = await(admin.describeTopics(topics).allTopicNames(), deadline);
                boolean ready = described.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                // A leader in the metadata is not yet a partition that serves: producing into it then
                // made Kafka 4.4's idempotent producer loop on OUT_OF_ORDER_SEQUENCE_NUMBER.
                if (ready) {
                    listLatestOffsets(described, deadline);
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("Could not describe topics " + topics + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            pauseBeforeRetry(deadline, "leaders for topics " + topics);
        }
    }

    private void listLatestOffsets(Map<String, TopicDescription> described, long deadline) throws ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        described.values().forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()),
                OffsetSpec.latest())));
        await(admin.listOffsets(latest).all(), deadline);
    }

    /**
     * Picks loopback ports and starts the node. A picked port can be taken by someone else between
     * the pick and the bind, so a bind failure on picked ports is retried with new ones.
     */
    private static RunningNode startOnFreePorts(Path directory, Options options) {
        if (options.clientPort() != 0) {
            LoopbackPorts.requireFree(options.clientPort());
        }
        for (int attempt = 1; ; attempt++) {
            int[] picked = LoopbackPorts.pick(2);
            int clientPort = options.clientPort() == 0 ? picked[0] : options.clientPort();
            int controllerPort = picked[1];
            try {
                KRaftNode node = KRaftNode.start(directory, clientPort, controllerPort,
                        options.defaultPartitions(), options.brokerProperties());
                return new RunningNode(node, clientPort);
            } catch (Exception e) {
                boolean pickedPortTaken = options.clientPort() == 0 && causedByBindFailure(e);
                if (attempt >= PORT_ATTEMPTS || !pickedPortTaken) {
                    throw new IllegalStateException("Embedded Kafka broker did not start on 127.0.0.1:" + clientPort
                            + " (data in " + directory + "): " + e.getMessage(), e);
                }
            }
        }
    }

    private record RunningNode(KRaftNode node, int clientPort) {
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void awaitReachable(Admin admin, String bootstrap, long deadline) {
        while (true) {
            try {
                if (!await(admin.describeCluster().nodes(), deadline).isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // Not up yet: the admin client retries on its own; keep asking until the deadline.
            }
            pauseBeforeRetry(deadline, "the broker at " + bootstrap);
        }
    }

    private static <T> T await(KafkaFuture<T> future, long deadline) throws ExecutionException {
        long remaining = deadline - System.nanoTime();
        try {
            return future.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out waiting for the embedded Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static void pauseBeforeRetry(long deadline, String what) {
        if (System.nanoTime() >= deadline) {
            throw new IllegalStateException("Timed out waiting for " + what);
        }
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what, e);
        }
    }

    private static void cleanUpFailedStart(KRaftNode node, Path directory, boolean temporary, RuntimeException failure) {
        try {
            if (node != null) {
                node.stop();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        if (temporary) {
            try {
                DataDirectory.delete(directory);
            } catch (UncheckedIOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * How to start a broker. Start from {@link #defaults()} and adjust with the {@code with} methods.
     *
     * @param dataDirectory     where logs and metadata live; {@code null} for a temporary directory
     *                          deleted on close. An existing formatted directory is reused as is.
     * @param clientPort        the client listener's port on 127.0.0.1; 0 picks a free one
     * @param defaultPartitions {@code num.partitions}, for topics created without a count
     * @param brokerProperties  extra broker settings applied over the built-in ones; listener,
     *                          node and directory keys are rejected (they are derived from the above)
     * @param startTimeout      how long {@code start} waits for the started broker to answer a
     *                          client before it gives up
     */
    public record Options(Path dataDirectory, int clientPort, int defaultPartitions,
                          Map<String, String> brokerProperties, Duration startTimeout) {

        public Options {
            if (clientPort < 0 || clientPort > 65_535) {
                throw new IllegalArgumentException("clientPort must be 0 (pick a free port) or 1..65535, was " + clientPort);
            }
            if (defaultPartitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
            }
            Objects.requireNonNull(brokerProperties, "brokerProperties");
            for (String key : brokerProperties.keySet()) {
                if (KRaftNode.RESERVED_KEYS.contains(key)) {
                    throw new IllegalArgumentException("brokerProperties may not set " + key
                            + ": the embedded broker derives it from the options");
                }
            }
            brokerProperties = Map.copyOf(brokerProperties);
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
            }
        }

        /** A temporary directory, a free port, 1 partition per topic, a 60 s start timeout. */
        public static Options defaults() {
            return new Options(null, 0, 1, Map.of(), Duration.ofSeconds(60));
        }

        public Options withDataDirectory(Path directory) {
            return new Options(directory, clientPort, defaultPartitions, brokerProperties, startTimeout);
        }

        public Options withClientPort(int port) {
            return new Options(dataDirectory, port, defaultPartitions, brokerProperties, startTimeout);
        }

        public Options withDefaultPartitions(int partitions) {
            return new Options(dataDirectory, clientPort, partitions, brokerProperties, startTimeout);
        }

        public Options withBrokerProperty(String key, String value) {
            Map<String, String> merged = new HashMap<>(brokerProperties);
            merged.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return new Options(dataDirectory, clientPort, defaultPartitions, merged, startTimeout);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(dataDirectory, clientPort, defaultPartitions, brokerProperties, timeout);
        }
    }
}
