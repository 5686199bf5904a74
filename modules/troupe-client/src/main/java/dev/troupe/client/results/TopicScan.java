package dev.troupe.client.results;

import dev.troupe.client.KafkaConnection;
import dev.troupe.client.KafkaUnreachableException;
import dev.troupe.client.MissingTopicsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/** Reads a topic from its start to the end it has now, as a read_committed reader outside any group. */
public final class TopicScan {

    private TopicScan() {
    }

    /** Hands every record to {@code each}, partition by partition in offset order; gives up after four timeouts. */
    public static void readToEnd(KafkaConnection kafka, String topic, String clientId, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = kafka.committedReaderConfig(clientId);
        long deadline = System.nanoTime() + kafka.timeout().multipliedBy(4).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, kafka.timeout());
            if (infos == null || infos.isEmpty()) {
                throw new MissingTopicsException(kafka.bootstrapServers(), List.of(topic));
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, kafka.timeout());
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaUnreachableException(kafka, "reading " + topic + " to its end took too long", null);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(record);
                }
            }
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "reading " + topic + ": " + e.getMessage(), e);
        }
    }
}
