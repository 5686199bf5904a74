package dev.troupe.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka cluster shared by every test of a test JVM, injected by {@link KafkaClusterExtension}
 * (Jupiter) or taken from {@link JvmKafkaCluster#get()} (other engines, such as jqwik).
 * Tests isolate themselves with {@link #uniqueTopic(String)} names rather than with clusters.
 *
 * <p>The admin client and producer are owned by the cluster: use them, do not close them.
 * All methods are thread-safe; the waiting ones give up after 30 seconds.
 */
public final class KafkaCluster {

    /** Where the cluster comes from. */
    public enum Source {
        /** {@code KAFKA_BOOTSTRAP_SERVERS} named a running cluster. */
        EXTERNAL,
        /** A Kafka container started through Testcontainers. */
        TESTCONTAINERS,
        /** An {@code EmbeddedKafkaBroker} in this JVM. */
        EMBEDDED,
        /** A {@link ForkedKafkaBroker}: a broker in a child JVM that its test kills and restarts. */
        FORKED
    }

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final Source source;
    private final String bootstrapServers;
    private Admin admin;
    private KafkaProducer<String, String> producer;
    private boolean closed;

    KafkaCluster(Source source, String bootstrapServers) {
        this.source = source;
        this.bootstrapServers = bootstrapServers;
    }

    public Source source() {
        return source;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Settings every client of this cluster needs; add serializers, group id and the like. */
    public Map<String, Object> clientConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /** The cluster's admin client; shared, do not close it. */
    public synchronized Admin admin() {
        ensureOpen();
        if (admin == null) {
            admin = Admin.create(clientConfig());
        }
        return admin;
    }

    /** A topic name no other test uses: {@code prefix} followed by a random suffix. */
    public String uniqueTopic(String prefix) {
        if (prefix == null || !TOPIC_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("A topic prefix must match " + TOPIC_PREFIX + ", was " + prefix);
        }
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /**
     * Creates the topic with the cluster's default replication and waits until every partition
     * has a leader. A topic that already exists is left as it is.
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, java.util.Map.of());
    }

    /** The same, with topic configs (e.g. {@code cleanup.policy=compact}). */
    public void createTopic(String name, int partitions, java.util.Map<String, String> configs) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            await(admin().createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs)))
                    .all(), deadline, "creating topic " + name);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        while (!leadersElected(name, deadline)) {
            Deadlines.pause(deadline, "leaders of topic " + name);
        }
    }

    /** Sends one record with an idempotent producer and waits for the broker's acknowledgement. */
    public RecordMetadata produce(String topic, String key, String value) {
        return produce(List.of(new ProducerRecord<>(topic, key, value))).get(0);
    }

    /** Sends the records in order and waits until every one is acknowledged. */
    public List<RecordMetadata> produce(List<ProducerRecord<String, String>> records) {
        KafkaProducer<String, String> sender = producer();
        List<Future<RecordMetadata>> sent = records.stream().map(sender::send).toList();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        return sent.stream().map(future -> {
            try {
                return await(future, deadline, "acknowledgement of a produced record");
            } catch (ExecutionException e) {
                throw new IllegalStateException("Could not produce a record: " + e.getCause().getMessage(), e.getCause());
            }
        }).toList();
    }

    /**
     * Every committed record of the topic (read_committed), from the beginning up to the end the
     * topic has when the call starts, in partition order.
     */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        ensureOpen();
        return TopicReader.readAll(clientConfig(), topic, TIMEOUT);
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + source + " " + bootstrapServers + "]";
    }

    synchronized void closeClients() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        ensureOpen();
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.CLIENT_ID_CONFIG, "troupe-testkit-producer",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        }
        return producer;
    }

    private boolean leadersElected(String topic, long deadline) {
        try {
            TopicDescription description = await(admin().describeTopics(List.of(topic)).allTopicNames(), deadline,
                    "describing topic " + topic).get(topic);
            if (!description.partitions().stream()
                    .map(TopicPartitionInfo::leader)
                    .allMatch(leader -> leader != null && !leader.isEmpty())) {
                return false;
            }
            // A leader in metadata may not serve its partition yet; an idempotent producer sending into
            // that gap was seen looping on OUT_OF_ORDER_SEQUENCE_NUMBER. listOffsets waits it out.
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            description.partitions().forEach(p -> partitions.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            await(admin().listOffsets(partitions).all(), deadline, "offsets of topic " + topic);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return false;
            }
            throw new IllegalStateException("Could not describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed: the test JVM is shutting its cluster down");
        }
    }

    private static <T> T await(Future<T> future, long deadline, String what) throws ExecutionException {
        Objects.requireNonNull(future);
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + TIMEOUT + " waiting for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what, e);
        }
    }
}
