package dev.troupe.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaBrokerTest {

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        // What the node binds, not just the address it reports: every listener on 127.0.0.1.
        String listeners = KRaftNode.properties(broker.dataDirectory(), 9092, 9093, 1, Map.of()).get("listeners");
        assertThat(listeners.split(",")).isNotEmpty().allSatisfy(listener -> assertThat(listener).contains("://127.0.0.1:"));
    }

    @Test
    void committedTransactionReachesAReadCommittedGroupAndAnAbortedOneDoesNot() throws Exception {
        String topic = "orders";
        broker.createTopics(Map.of(topic, 3));

        Map<String, Object> producerConfig = new HashMap<>(TopicRecords.producerConfig(broker.bootstrapServers()));
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "orders-writer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 1_000; i++) {
                producer.send(new ProducerRecord<>(topic, "order-" + i, "payload-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, "aborted-" + i, "never-seen"));
            }
            producer.flush();
            producer.abortTransaction();
        }

        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "order-readers",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        Map<TopicPartition, Long> logEnd = settledLogEnd(topic, 3);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return consumer.assignment().size() == 3
                        && logEnd.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
            consumer.commitSync();
        }

        assertThat(received).hasSize(1_000);
        assertThat(received).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1_000).mapToObj(i -> "order-" + i).toList());
        assertThat(received).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
        Map<TopicPartition, Long> committed = admin.listConsumerGroupOffsets("order-readers")
                .partitionsToOffsetAndMetadata().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        assertThat(committed).isEqualTo(logEnd);
    }

    @Test
    void createTopicsIsIdempotentAndKeepsTheFirstPartitionCount() throws Exception {
        broker.createTopics(Map.of("ledger", 2, "events", 1));
        broker.createTopics(Map.of("ledger", 5));

        var described = admin.describeTopics(Set.of("ledger", "events")).allTopicNames().get();
        assertThat(described.get("ledger").partitions()).hasSize(2);
        assertThat(described.get("events").partitions()).hasSize(1);
    }

    @Test
    void brokerIsQuietUnlessTheApplicationAskedForMore() {
        assertThat(LoggerFactory.getLogger("kafka.server.BrokerServer").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("kafka.server.BrokerServer").isWarnEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("org.apache.kafka.controller.QuorumController").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("state.change.logger").isInfoEnabled()).isFalse();
        // Named at INFO in log4j2-test.xml, the application's own configuration.
        assertThat(LoggerFactory.getLogger("org.apache.kafka.common.utils.internals.AppInfoParser").isInfoEnabled()).isTrue();
        // Outside Kafka nothing changes.
        assertThat(LoggerFactory.getLogger("dev.troupe").isInfoEnabled()).isTrue();
    }

    /** The log end once the abort markers are written (they follow abortTransaction() asynchronously). */
    private static Map<TopicPartition, Long> settledLogEnd(String topic, int partitions) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> {
                    Map<TopicPartition, Long> end = latestOffsets(topic, partitions, IsolationLevel.READ_UNCOMMITTED);
                    return end.equals(latestOffsets(topic, partitions, IsolationLevel.READ_COMMITTED)) ? end : null;
                }, end -> end != null);
    }

    private static Map<TopicPartition, Long> latestOffsets(String topic, int partitions, IsolationLevel isolation)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
