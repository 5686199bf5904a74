package dev.troupe.worker;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic from the beginning, read_committed, as a downstream consumer would. */
final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, true);
    }

    /** {@code committedOnly} false: read_uncommitted, records of aborted transactions too. */
    TopicReader(String bootstrapServers, String topic, boolean committedOnly) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, after one more short poll. */
    List<ConsumerRecord<byte[], byte[]>> poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            records.add(r);
        }
        return records;
    }

    List<JobResult> results() {
        JobCodec codec = JobCodec.defaults();
        return poll().stream().map(r -> codec.decodeResult(r.value())).toList();
    }

    /** The progress events read so far; a record that is not one fails the test. */
    List<dev.troupe.model.ProgressEvent> progressEvents() {
        dev.troupe.model.ProgressCodec codec = new dev.troupe.model.ProgressCodec();
        return poll().stream().map(r -> codec.decode(r.value())).map(decoded -> {
            if (decoded instanceof dev.troupe.model.ProgressCodec.Event event) {
                return event.event();
            }
            throw new AssertionError("not a progress event: " + decoded);
        }).toList();
    }

    static Map<String, JobResult> byJobId(List<JobResult> results) {
        return results.stream().collect(Collectors.toMap(JobResult::jobId, r -> r, (a, b) -> {
            throw new AssertionError("two results for job " + a.jobId() + ": " + a + " and " + b);
        }));
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
