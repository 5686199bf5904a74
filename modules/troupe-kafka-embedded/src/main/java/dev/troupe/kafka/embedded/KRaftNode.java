package dev.troupe.kafka.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * The only place that touches Kafka's broker internals ({@code kafka.server}, the storage
 * formatter): they carry no compatibility promise, so Kafka is pinned and kept behind this class.
 */
final class KRaftNode {

    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";

    /** Keys this class derives itself; an override would make {@code bootstrapServers()} lie. */
    static final Set<String> RESERVED_KEYS = Set.of(
            "process.roles", "node.id", "broker.id", "listeners", "advertised.listeners",
            "controller.listener.names", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "inter.broker.listener.name", "listener.security.protocol.map",
            "log.dir", "log.dirs", "metadata.log.dir", "num.partitions");

    private final KafkaRaftServer server;

    private KRaftNode(KafkaRaftServer server) {
        this.server = server;
    }

    /** Formats {@code logDir} when it holds no cluster yet, then starts broker and controller. */
    static KRaftNode start(Path logDir, int clientPort, int controllerPort, int defaultPartitions,
                           Map<String, String> extraProperties) throws Exception {
        Map<String, String> props = properties(logDir, clientPort, controllerPort, defaultPartitions, extraProperties);
        KafkaConfig config = new KafkaConfig(props, false);
        formatIfNeeded(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server, e);
            throw e;
        }
        return new KRaftNode(server);
    }

    static Map<String, String> properties(Path logDir, int clientPort, int controllerPort, int defaultPartitions,
                                          Map<String, String> extraProperties) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", Integer.toString(defaultPartitions));
        // Internal topics on one node: without replication factor 1 groups and transactions never work.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // First group join 3.3 s -> 0.3 s.
        props.put("group.initial.rebalance.delay.ms", "0");
        // The default 128 MiB cleaner buffer dominates the heap; a small heap dies silently with it.
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        // Restart after a crash waits for the old session to expire: keep it short.
        props.put("broker.session.timeout.ms", "2000");
        props.put("broker.heartbeat.interval.ms", "500");
        props.putAll(extraProperties);
        return props;
    }

    /** A formatted directory refuses a new cluster id, so format only when there is no cluster yet. */
    private static void formatIfNeeded(Path logDir) throws Exception {
        if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return;
        }
        String dir = logDir.toAbsolutePath().toString();
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dir)
                .addDirectory(dir)
                // As kafka-storage.sh does for a combined node with static voters.
                .setWriteBootstrapSnapshot(true)
                .setHasDynamicQuorum(false)
                .run();
    }

    void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void stopQuietly(KafkaRaftServer server, Exception startFailure) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            startFailure.addSuppressed(e);
        }
    }
}
