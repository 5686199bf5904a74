package dev.troupe.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a results topic (read_committed, from the start, as a downstream consumer sees it) and takes
 * a reading of the meters at the moment the {@code from}-th distinct job's result arrives and again at
 * the {@code to}-th: the measured window, after a warm-up that lets the JIT and the pools settle.
 */
final class ResultWindow implements AutoCloseable {

    /** The meters at one instant. */
    record Mark(long nanoTime, long epochMillis, long distinctJobs, Meters meters) {}

    /** What the window compares: each process's CPU so far, in nanoseconds. */
    record Meters(long subjectCpu, long subjectSystemCpu, long simulatorCpu, long brokerCpu) {

        Meters minus(Meters earlier) {
            return new Meters(subjectCpu - earlier.subjectCpu, subjectSystemCpu - earlier.subjectSystemCpu,
                    simulatorCpu - earlier.simulatorCpu, brokerCpu - earlier.brokerCpu);
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long from;
    private final long to;
    private final Supplier<Meters> meters;
    private final Set<String> jobs = new HashSet<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread thread;
    private volatile long records;
    private volatile Mark start;
    private volatile Mark end;
    private volatile boolean stop;

    ResultWindow(String bootstrapServers, String topic, long from, long to, Supplier<Meters> meters) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        this.consumer = new KafkaConsumer<>(p);
        this.from = from;
        this.to = to;
        this.meters = meters;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "bench-window-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (!stop) {
                var polled = consumer.poll(Duration.ofMillis(50));
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    records++;
                    jobs.add(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                }
                if (start == null && jobs.size() >= from) {
                    start = new Mark(System.nanoTime(), System.currentTimeMillis(), jobs.size(), meters.get());
                }
                if (end == null && jobs.size() >= to) {
                    end = new Mark(System.nanoTime(), System.currentTimeMillis(), jobs.size(), meters.get());
                    ended.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Whether the last job's result arrived within {@code timeout}. */
    boolean await(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Mark start() {
        return start;
    }

    Mark end() {
        return end;
    }

    /** Result records read (duplicates included). */
    long records() {
        return records;
    }

    /** Jobs with at least one result; read after {@link #close}. */
    long distinctJobs() {
        return jobs.size();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
