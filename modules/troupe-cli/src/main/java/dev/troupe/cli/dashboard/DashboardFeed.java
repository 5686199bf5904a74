package dev.troupe.cli.dashboard;

import dev.troupe.client.KafkaConnection;
import dev.troupe.model.BatchCodec;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.ProgressCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads {@code troupe.results}, {@code troupe.progress} and {@code troupe.batches} from their start and on, as one
 * read_committed consumer outside any group (it commits nothing and moves no worker's partitions), on a thread of
 * its own, into a {@link DashboardView}. A record that is not what its topic holds is counted and skipped; a topic
 * that does not exist (an older installation without progress) is left out. Kafka errors are retried after a
 * pause: the dashboard keeps what it has and says it is behind.
 */
public final class DashboardFeed implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(DashboardFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(2);

    /** The topics to read. */
    public record Topics(String results, String progress, String batches) {
    }

    private final KafkaConnection kafka;
    private final Topics topics;
    private final DashboardView view;
    private final JobCodec codec;
    private final ProgressCodec progress = new ProgressCodec();
    private final BatchCodec batchCodec = new BatchCodec();
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public DashboardFeed(KafkaConnection kafka, Topics topics, DashboardView view, JobCodec codec) {
        this.kafka = kafka;
        this.topics = topics;
        this.view = view;
        this.codec = codec;
        this.thread = new Thread(this::run, "troupe-dashboard-feed");
        thread.setDaemon(true);
    }

    public DashboardFeed start() {
        thread.start();
        return this;
    }

    /** Whether the feed has read each topic up to the end it had when the feed started. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (!closed) {
            Map<String, Object> config = kafka.committedReaderConfig("troupe-dashboard");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
            try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(config)) {
                consumer = reader;
                if (closed) {
                    return;
                }
                read(reader);
            } catch (WakeupException e) {
                return;
            } catch (KafkaException e) {
                if (closed) {
                    return;
                }
                LOG.warn("reading Kafka for the dashboard: {}; trying again in {} s", e.getMessage(), RETRY.toSeconds());
                pause();
            }
        }
    }

    /** Reads everything from the start (again after an error: the view keeps one row per job, so re-reading is harmless). */
    private void read(KafkaConsumer<byte[], byte[]> reader) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.results(), topics.progress(), topics.batches())) {
            List<PartitionInfo> infos = reader.partitionsFor(topic, kafka.timeout());
            if (infos == null || infos.isEmpty()) {
                LOG.info("{} does not exist: the dashboard reads it once it does (restart)", topic);
                continue;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = reader.endOffsets(partitions, kafka.timeout());
        while (!closed) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                apply(record);
            }
            if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue())) {
                caughtUp.countDown();
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String topic = record.topic();
        if (topic.equals(topics.results())) {
            JobResult result;
            try {
                result = codec.decodeResult(record.value());
            } catch (RuntimeException e) {
                view.unreadable();
                return;
            }
            view.accept(result);
        } else if (topic.equals(topics.progress())) {
            if (progress.decode(record.value()) instanceof ProgressCodec.Event event) {
                view.accept(event.event());
            } else {
                view.unreadable();
            }
        } else {
            BatchCodec.Decoded decoded = batchCodec.decode(record.value());
            if (decoded instanceof BatchCodec.Descriptor d) {
                view.accept(d.descriptor());
            } else if (decoded instanceof BatchCodec.Completion c) {
                view.accept(c.completion());
            } else {
                view.unreadable();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis()); // the feed's own thread, never an event loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> reader = consumer;
        if (reader != null) {
            reader.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
