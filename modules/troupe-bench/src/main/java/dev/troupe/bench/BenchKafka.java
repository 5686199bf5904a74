package dev.troupe.bench;

import dev.troupe.kafka.embedded.EmbeddedKafkaBroker;
import dev.troupe.worker.WorkerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The one in-JVM broker of a run: fresh topics per measurement, producers, and offset look-ups. */
final class BenchKafka implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final Admin admin;
    private final AtomicInteger sequence = new AtomicInteger();

    private BenchKafka(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    static BenchKafka start() {
        return new BenchKafka(EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults()));
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Names of one measurement's topics and consumer group. */
    record Stage(String name, WorkerConfig.Topics topics, String groupId, int jobPartitions) {}

    /**
     * Creates fresh jobs/results/dlq topics, a compacted state topic with the jobs topic's partition
     * count, as the journal needs it (JournalTopicCheck), and a LogAppendTime budget topic, waiting for
     * their leaders; and a group name.
     */
    Stage stage(String name, int jobPartitions) {
        String id = name + "-" + sequence.incrementAndGet();
        WorkerConfig.Topics topics = new WorkerConfig.Topics("jobs-" + id, "results-" + id, "dlq-" + id, "state-" + id, "budget-" + id);
        try {
            admin.createTopics(java.util.List.of(new NewTopic(topics.state(), Optional.of(jobPartitions), Optional.empty())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    // The fleet's budget log, for a limited budget (the correctness and budget-cost rows).
                    new NewTopic(topics.budget(), Optional.of(3), Optional.empty()).configs(Map.of(
                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime", TopicConfig.RETENTION_MS_CONFIG, "-1")))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the journal and budget topics of " + id + ": " + e, e);
        }
        // Existing (the state topic) are left as they are; every partition's leader is awaited.
        Map<String, Integer> partitions = Map.of(topics.jobs(), jobPartitions, topics.results(), 6, topics.deadLetter(), 1,
                topics.state(), jobPartitions, topics.budget(), 3);
        broker.createTopics(partitions);
        return new Stage(id, topics, "group-" + id, jobPartitions);
    }

    /**
     * N jobs spread evenly over the stage's partitions, committed in one transaction, so that a
     * read_committed consumer sees them all at once (the memory rows).
     */
    void produceAtOnce(Stage stage, int count) {
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("bench-" + stage.name())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                String jobId = JobFeed.jobId(stage.name(), i);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(stage.topics().jobs(), i % stage.jobPartitions(),
                        JobRecords.key(jobId), JobRecords.value(jobId)));
            }
            producer.commitTransaction();
        }
    }

    /** A producer as a busy job source would configure it: batched, acks=all, idempotent. */
    KafkaProducer<byte[], byte[]> producer(String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        return new KafkaProducer<>(p);
    }

    /** A transactional producer: what it sends becomes visible to read_committed consumers all at once. */
    KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        return new KafkaProducer<>(p);
    }

    /** Whether the group has committed every partition of the topic up to its log end. */
    boolean committedAtLogEnd(String groupId, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        for (var end : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(end.getKey());
            long at = c == null ? 0 : c.offset();
            if (at != end.getValue().offset()) {
                return false;
            }
        }
        return true;
    }

    /** Deletes a finished measurement's topics, so the broker's files and state do not pile up over a run. */
    void drop(Stage stage) {
        try {
            admin.deleteTopics(java.util.List.of(stage.topics().jobs(), stage.topics().results(), stage.topics().deadLetter(),
                            stage.topics().state(), stage.topics().budget()))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("could not delete the topics of " + stage.name() + ": " + e);
        }
    }

    /** Whether the group is stable with {@code members} members that own {@code partitions} partitions in all. */
    boolean groupSettled(String groupId, int members, int partitions) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(java.util.List.of(groupId)).describedGroups()
                    .get(groupId).get(10, TimeUnit.SECONDS);
            int owned = group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
            return group.groupState() == GroupState.STABLE && group.members().size() == members && owned == partitions;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        broker.close();
    }
}
