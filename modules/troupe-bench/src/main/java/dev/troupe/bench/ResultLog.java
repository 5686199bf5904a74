package dev.troupe.bench;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything on a results topic, read from the start with read_committed as a downstream consumer
 * sees it: when each result was written (its record timestamp), how many results each jobId got,
 * and, when asked for, the decoded results.
 */
final class ResultLog implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final boolean decode;
    private final JobCodec codec = JobCodec.defaults();
    private final Thread thread;
    private final Map<String, Integer> perJob = new HashMap<>();
    private final List<JobResult> results = new ArrayList<>();
    private long[] timestamps = new long[1 << 16];
    private int count;
    private long duplicates;
    private volatile boolean stop;

    ResultLog(String bootstrapServers, String topic, boolean decode) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.decode = decode;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "bench-results-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (!stop) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                List<JobResult> decoded = new ArrayList<>();
                if (decode) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        decoded.add(codec.decodeResult(r.value()));
                    }
                }
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        add(r.timestamp(), r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                    }
                    results.addAll(decoded);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void add(long timestamp, String jobId) {
        if (count == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, count * 2);
        }
        timestamps[count++] = timestamp;
        if (perJob.merge(jobId, 1, Integer::sum) > 1) {
            duplicates++;
        }
    }

    /** Result records read so far. */
    synchronized long count() {
        return count;
    }

    /** Results written in [fromMillis, toMillis). */
    synchronized long countWritten(long fromMillis, long toMillis) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            if (timestamps[i] >= fromMillis && timestamps[i] < toMillis) {
                n++;
            }
        }
        return n;
    }

    /** Results beyond the first for their jobId. */
    synchronized long duplicates() {
        return duplicates;
    }

    synchronized int distinctJobs() {
        return perJob.size();
    }

    synchronized boolean hasResult(String jobId) {
        return perJob.containsKey(jobId);
    }

    /** The decoded results (only when built with {@code decode}). */
    synchronized List<JobResult> results() {
        return List.copyOf(results);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
