package dev.troupe.worker.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader thread that follows a topic outside the consumer group, as every worker does with the
 * fleet's shared topics (the budget log, the account's holds, the operators' commands): it assigns
 * the partitions the owner picks, lets the owner seek, hands it every record in log order, and says
 * when it has reached the end the partitions had when it started. {@link #start} returns at once;
 * {@link #close} blocks until the thread is gone, and closes the consumer.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    /** What the owner does on the reader thread. */
    public interface Reader {
        /** Positions the consumer on {@code partitions} (assigned already). */
        void seek(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions);

        void apply(ConsumerRecord<byte[], byte[]> record);

        /** The reader stopped for {@code error}; records that come later are not applied. */
        default void failed(RuntimeException error) {
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Function<List<TopicPartition>, List<TopicPartition>> pick;
    private final Duration poll;
    private final String what;
    private final Reader reader;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param consumer not in a group, used by the reader thread alone; closed with this
     * @param pick     the partitions to follow, of the topic's
     * @param what     what stops when the reader fails, for the log ("later cancels ... do not reach this worker")
     */
    public TopicFollower(Consumer<byte[], byte[]> consumer, String topic, Function<List<TopicPartition>, List<TopicPartition>> pick,
                         Duration poll, String threadName, String what, Reader reader) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.pick = Objects.requireNonNull(pick, "pick");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.what = Objects.requireNonNull(what, "what");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.thread = new Thread(this::read, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the thread; completes once it has reached the end the partitions had at its start. */
    public CompletableFuture<Void> start() {
        thread.start();
        return caughtUp;
    }

    private void read() {
        try {
            List<TopicPartition> partitions = pick.apply(consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList());
            consumer.assign(partitions);
            reader.seek(consumer, partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(poll)) {
                    reader.apply(record);
                }
                if (!caughtUp.isDone() && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                log.error("the reader of {} was woken up unexpectedly: {}", topic, what, e);
                caughtUp.completeExceptionally(e);
                reader.failed(e);
            }
        } catch (RuntimeException e) {
            log.error("the reader of {} stopped: {}", topic, what, e);
            caughtUp.completeExceptionally(e);
            reader.failed(e);
        }
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
