package dev.troupe.worker.journal;

import dev.troupe.worker.WorkerConfig;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The journal's Kafka clients (and the budget log's, which need the same), configured like the
 * worker's own: Troupe's settings, then the worker's {@code kafka.*} properties (security, timeouts,
 * ...), then what they cannot work without, which no property overrides.
 */
public final class JournalClients {

    /** A restore's poll brings at most this much of one partition; the restore holds decoded entries only. */
    static final int MAX_PARTITION_FETCH_BYTES = 2 * 1024 * 1024;

    static final int FETCH_MAX_WAIT_MS = 50;

    private JournalClients() {
    }

    static Properties producer(WorkerConfig config, String clientId) {
        return acknowledgedProducer(config, clientId + "-journal");
    }

    /** A producer whose records, once acknowledged, are on every in-sync replica, written once, in order. */
    public static Properties acknowledgedProducer(WorkerConfig config, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // A job waits for its intent to be acknowledged before its POST: batch little.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.putAll(config.kafkaProperties());
        // Not overridable: an entry acknowledged must be on every in-sync replica, written once, in order.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    static Properties admin(WorkerConfig config, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.putAll(config.kafkaProperties());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-journal-admin");
        return p;
    }

    static Properties restoreConsumer(WorkerConfig config, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_PARTITION_FETCH_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(MAX_PARTITION_FETCH_BYTES));
        // A restore ends at the log end with a fetch in flight, which close() waits for: the default
        // 500 ms long poll was half of a 10,000-job restore (bench/run --only journal).
        return assignedConsumer(config, clientId + "-journal-restore", FETCH_MAX_WAIT_MS, p);
    }

    /**
     * A consumer outside any group (assigned, never committing), reading only what was acknowledged;
     * {@code settings} go before the worker's {@code kafka.*} properties.
     */
    public static Properties assignedConsumer(WorkerConfig config, String clientId, int fetchMaxWaitMs, Properties settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(fetchMaxWaitMs));
        p.putAll(settings);
        p.putAll(config.kafkaProperties());
        // Not overridable: assigned, never in a group, never committing; only what was acknowledged.
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }
}
