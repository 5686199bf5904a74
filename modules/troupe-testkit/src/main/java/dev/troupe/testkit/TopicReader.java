package dev.troupe.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic to its end with a group-less read_committed consumer. */
final class TopicReader {

    private TopicReader() {
    }

    static List<ConsumerRecord<String, String>> readAll(Map<String, Object> clientConfig, String topic, Duration timeout) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "troupe-testkit-reader");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos.isEmpty()) {
                throw new IllegalArgumentException("Topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Under read_committed these are the last stable offsets: the end a reader can see.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() >= deadline) {
                    throw new IllegalStateException("Timed out after " + timeout + " reading " + topic + " to offsets " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(topic, record.partition());
                    if (record.offset() < end.get(tp)) {
                        byPartition.computeIfAbsent(tp, key -> new ArrayList<>()).add(record);
                    }
                }
            }
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            partitions.forEach(tp -> records.addAll(byPartition.getOrDefault(tp, List.of())));
            return records;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
