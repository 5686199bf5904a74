package dev.troupe.client;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where Kafka is and how to talk to it: the bootstrap servers, any client property (security,
 * SASL, SSL, ...) passed through to every client Troupe creates, and how long to wait for the
 * cluster before giving up with a {@link KafkaUnreachableException}.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param properties       extra Kafka client properties, applied after Troupe's own settings, except the
 *                         timeouts derived from {@code timeout} (see {@link #clientConfig})
 * @param timeout          longest wait for the cluster to answer (connect, metadata, acknowledgements)
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers must be set (host:port)");
        }
        properties = Map.copyOf(properties == null ? Map.of() : properties);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Kafka timeout must be positive, got " + timeout);
        }
    }

    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of(), DEFAULT_TIMEOUT);
    }

    public KafkaConnection withTimeout(Duration value) {
        return new KafkaConnection(bootstrapServers, properties, value);
    }

    /**
     * Settings for a client: the bootstrap servers, a client id, then the pass-through properties.
     * Callers put the settings they must not let a user override after this.
     */
    public Map<String, Object> clientConfig(String clientId) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.putAll(properties);
        return config;
    }

    /**
     * Settings for a reader outside any group: {@link #clientConfig}, byte-array values, only committed
     * records, request timeouts from {@link #timeout()}; the group id, auto-commit and topic creation are
     * not overridable (a reader must not join, commit for or create anything).
     */
    public Map<String, Object> committedReaderConfig(String clientId) {
        Map<String, Object> config = clientConfig(clientId);
        int millis = timeoutMillis();
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return config;
    }

    /**
     * Blocks until the cluster answers a metadata request, at most {@link #timeout()}.
     *
     * @throws KafkaUnreachableException naming the servers and what went wrong
     */
    public void awaitReachable() {
        withAdmin(admin -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMillis())).nodes());
    }

    /**
     * Checks that the topics exist.
     *
     * @throws MissingTopicsException naming the ones that do not
     * @throws KafkaUnreachableException when the cluster does not answer
     */
    public void requireTopics(Collection<String> topics) {
        Set<String> existing = withAdmin(admin -> admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMillis())
                .listInternal(false)).names());
        List<String> missing = topics.stream().filter(topic -> !existing.contains(topic)).distinct().toList();
        if (!missing.isEmpty()) {
            throw new MissingTopicsException(bootstrapServers, missing);
        }
    }

    /** Whether the cluster has {@code topic} (for topics a command can do without). */
    public boolean hasTopic(String topic) {
        return withAdmin(admin -> admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMillis()).listInternal(false)).names())
                .contains(topic);
    }

    private <T> T withAdmin(Function<Admin, KafkaFuture<T>> call) {
        Map<String, Object> config = new HashMap<>(clientConfig("troupe-probe"));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            throw new KafkaUnreachableException(this, rootMessage(e), e);
        }
        try {
            return call.apply(admin).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnreachableException(this, rootMessage(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(this, "no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException(this, "interrupted", e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** The message of the innermost cause (its class name when it has none): what a Kafka error is really about. */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    @Override
    public String toString() {
        // Property values may hold credentials (sasl.jaas.config): show the keys only.
        return "KafkaConnection[" + bootstrapServers + ", properties=" + properties.keySet() + ", timeout=" + timeout + "]";
    }
}
