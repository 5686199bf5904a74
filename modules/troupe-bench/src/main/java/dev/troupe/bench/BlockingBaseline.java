package dev.troupe.bench;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The textbook approach Troupe is measured against: one KafkaConsumer hands each poll's records to a
 * fixed pool of C platform threads, each thread runs its job with blocking HTTP calls
 * ({@link BlockingGivonCall}), results go out through a plain producer, and the offsets are committed
 * once the whole batch is done (flush, then commitSync), so commits are in order per partition.
 * {@code max.poll.records} is C, so one batch can fill the pool.
 */
final class BlockingBaseline implements Subject {

    private static final Duration GRACE = Duration.ofSeconds(3);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService pool;
    private final ExecutorService httpExecutor;
    private final BlockingGivonCall call;
    private final JobCodec codec = JobCodec.defaults();
    private final String resultsTopic;
    private final Thread loop;
    private final String groupId;
    private final AtomicInteger assigned = new AtomicInteger();
    private final AtomicInteger inHand = new AtomicInteger();
    private volatile boolean stop;

    private BlockingBaseline(Deployment d) {
        this.consumer = new KafkaConsumer<>(consumerProperties(d));
        this.producer = new KafkaProducer<>(producerProperties(d));
        this.resultsTopic = d.stage().topics().results();
        this.groupId = d.stage().groupId();
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(d.concurrency(), r -> {
            Thread t = new Thread(r, "baseline-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // The client's default executor, but owned: its idle threads end with the baseline, not 60 s later.
        this.httpExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "baseline-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(httpExecutor).build();
        this.call = new BlockingGivonCall(http, d.givonUrl(), d.latency().pollBackoff());
        this.loop = new Thread(() -> run(d.stage().topics().jobs()), "baseline-consumer");
        this.loop.setDaemon(true);
    }

    static BlockingBaseline start(Deployment d) {
        BlockingBaseline baseline = new BlockingBaseline(d);
        baseline.loop.start();
        return baseline;
    }

    private static Properties consumerProperties(Deployment d) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, d.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, d.stage().groupId());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(d.concurrency()));
        // A batch waits for its slowest job; with held generations that is far beyond the default 5 min.
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
        return p;
    }

    private static Properties producerProperties(Deployment d) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, d.bootstrapServers());
        // Named for the group, so that its network thread's CPU counts as the baseline's (ownsThread).
        p.put(ProducerConfig.CLIENT_ID_CONFIG, d.stage().groupId() + "-results");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    assigned.addAndGet(-partitions.size());
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                    assigned.addAndGet(partitions.size());
                }
            });
            while (!stop) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    runBatch(records);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            if (!stop) {
                System.err.println("baseline consumer failed: " + e);
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Every record of the poll runs on the pool; the batch is committed only when all are done. */
    private void runBatch(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<Future<?>> jobs = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            jobs.add(pool.submit(() -> {
                runJob(r);
                return null;
            }));
            commits.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        for (Future<?> job : jobs) {
            try {
                job.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a baseline job failed: " + e.getCause(), e.getCause());
            }
        }
        producer.flush();
        consumer.commitSync(commits);
    }

    private void runJob(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        inHand.incrementAndGet();
        try {
            runJobInHand(record);
        } finally {
            inHand.decrementAndGet();
        }
    }

    private void runJobInHand(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        Instant enqueued = Instant.ofEpochMilli(record.timestamp());
        JobResult result;
        DecodeResult decoded = codec.decode(record.value());
        if (decoded instanceof DecodeResult.Decoded ok) {
            result = call.run(ok.job(), enqueued);
        } else {
            String jobId = record.key() == null ? "unknown" : new String(record.key(), StandardCharsets.UTF_8);
            result = new JobResult(jobId, null, null, JobStatus.REJECTED, null, null, Tokens.ZERO, 0,
                    JobResult.Error.of("INVALID_JOB", decoded.toString(), false),
                    new JobResult.Timings(enqueued, Instant.now(), null, Instant.now()), Map.of());
        }
        producer.send(new ProducerRecord<>(resultsTopic, result.jobId().getBytes(StandardCharsets.UTF_8),
                codec.encodeResult(result)));
    }

    /** Its pool, consumer and HTTP threads, the JDK client's selector, and its Kafka clients' threads. */
    @Override
    public boolean ownsThread(String threadName) {
        return threadName.startsWith("baseline-") || threadName.startsWith("HttpClient-") || threadName.contains(groupId);
    }

    @Override
    public boolean ready() {
        return assigned.get() > 0;
    }

    /** Jobs a pool thread is running now (submitting, asleep between reads, or publishing). */
    int jobsInHand() {
        return inHand.get();
    }

    /** Lets the batch in hand finish within the grace, then interrupts whatever still runs. */
    @Override
    public void close() {
        stop = true;
        try {
            loop.join(GRACE.toMillis());
            if (loop.isAlive()) {
                pool.shutdownNow();
                consumer.wakeup();
                loop.interrupt();
                loop.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        httpExecutor.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
            httpExecutor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
