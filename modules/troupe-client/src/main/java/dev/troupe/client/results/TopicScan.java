package dev.troupe.client.results;

import dev.troupe.client.KafkaConnection;
import dev.troupe.client.KafkaUnreachableException;
import dev.troupe.client.MissingTopicsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Utils;

/** Reads a topic, or one partition of it, from its start to the end it has now, as a read_committed reader outside any group. */
public final class TopicScan {

    private TopicScan() {
    }

    /** Hands every record to {@code each}, partition by partition in offset order; gives up after four timeouts. */
    public static void readToEnd(KafkaConnection kafka, String topic, String clientId, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        read(kafka, topic, clientId, infos -> infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList(), each);
    }

    /**
     * Hands every record of the partition that records keyed {@code key} go to (Kafka's default partitioner:
     * murmur2 of the key's bytes, modulo the topic's partition count) to {@code each}, in offset order, so
     * that one job's records are read without the rest of the topic. Returns that partition.
     */
    public static int readKeyPartitionToEnd(KafkaConnection kafka, String topic, byte[] key, String clientId,
                                            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        return read(kafka, topic, clientId, infos -> List.of(new TopicPartition(topic, partitionOf(key, infos.size()))), each)
                .get(0).partition();
    }

    /**
     * Hands every record of partition {@code partition} to {@code each}, in offset order: for a topic written
     * by partition number, not by key (the journal on {@code troupe.state} uses its job's partition on
     * {@code troupe.jobs}).
     *
     * @throws IllegalArgumentException when the topic has no such partition
     */
    public static void readPartitionToEnd(KafkaConnection kafka, String topic, int partition, String clientId,
                                          Consumer<ConsumerRecord<byte[], byte[]>> each) {
        read(kafka, topic, clientId, infos -> {
            if (partition < 0 || partition >= infos.size()) {
                throw new IllegalArgumentException(topic + " has " + infos.size() + " partitions, none numbered " + partition);
            }
            return List.of(new TopicPartition(topic, partition));
        }, each);
    }

    /** The partition Kafka's default partitioner gives a record keyed {@code key} in a topic of {@code partitions}. */
    public static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private static List<TopicPartition> read(KafkaConnection kafka, String topic, String clientId,
                                             Function<List<PartitionInfo>, List<TopicPartition>> which,
                                             Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = kafka.committedReaderConfig(clientId);
        long deadline = System.nanoTime() + kafka.timeout().multipliedBy(4).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, kafka.timeout());
            if (infos == null || infos.isEmpty()) {
                throw new MissingTopicsException(kafka.bootstrapServers(), List.of(topic));
            }
            List<TopicPartition> partitions = which.apply(infos);
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
            return partitions;
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "reading " + topic + ": " + e.getMessage(), e);
        }
    }
}
