package dev.troupe.client.results;

import dev.troupe.client.KafkaConnection;
import dev.troupe.model.ProgressCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads {@code troupe.progress} from its start (it is short-lived) and on, on a thread of its own,
 * into a {@link BatchStates}, until closed. Progress is informative: a record that is not an event is
 * skipped, and a feed that cannot read stops quietly (the watch goes on with its results).
 */
public final class ProgressFeed implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final ProgressCodec codec = new ProgressCodec();
    private final BatchStates states;
    private volatile boolean closed;
    /** Counted down once the feed has read the topic up to the end it had when the feed started. */
    private final java.util.concurrent.CountDownLatch caughtUp = new java.util.concurrent.CountDownLatch(1);

    private ProgressFeed(KafkaConsumer<byte[], byte[]> consumer, String topic, BatchStates states) {
        this.consumer = consumer;
        this.states = states;
        this.thread = new Thread(() -> run(topic), "troupe-watch-progress");
        thread.setDaemon(true);
    }

    /** Starts reading {@code topic} into {@code states}. */
    public static ProgressFeed start(KafkaConnection kafka, String topic, BatchStates states) {
        Map<String, Object> config = kafka.committedReaderConfig("troupe-watch-progress");
        ProgressFeed feed = new ProgressFeed(new KafkaConsumer<>(config), topic, states);
        feed.thread.start();
        return feed;
    }

    private void run(String topic) {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (codec.decode(record.value()) instanceof ProgressCodec.Event event) {
                        states.accept(event.event());
                    }
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (KafkaException e) {
            // Progress is informative: the watch goes on with its results.
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /**
     * Waits at most {@code timeout} until the feed has read what the topic held when it started (and
     * anything read meanwhile); false if it has not by then or cannot read.
     */
    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops reading; waits a moment for the thread. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
