package dev.troupe.worker.limit;

import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Givon account's holds, shared by the fleet on {@code troupe.budget} (DESIGN.md "Fleet quotas"):
 * the worker that hears Givon say the account cannot pay writes a {@link BudgetEntry.Hold}; every
 * worker reads them (partition 0, from one longest hold ago on) and holds its own submissions until
 * the record's append time plus the hold, so the fleet stops together instead of each worker
 * spending a failed submission to learn it.
 *
 * <p>Threads: {@link #announce} only sends; a reader thread ({@code troupe-account-holds}) tells
 * {@code held} of every hold still running; {@link #start} and {@link #close} block.
 */
public final class AccountHolds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccountHolds.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** The partition of {@code troupe.budget} that holds them all, so every reader sees every hold in one order. */
    public static final int PARTITION = 0;

    /** Told of a hold: until when, and what Givon said (to the worker that wrote it). */
    public interface Listener {
        void held(Instant until, String reason);
    }

    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration lookBack;
    private final Clock clock;
    private final Listener listener;
    private final BudgetCodec codec = new BudgetCodec();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread reader;
    private volatile boolean closed;

    /**
     * @param consumer not in a group, used by the reader thread alone; closed with this
     * @param lookBack the longest hold any worker writes (its {@code worker.out-of-tokens-pause})
     */
    public AccountHolds(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer, String topic, Duration lookBack,
                        Clock clock, Listener listener) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.reader = new Thread(this::read, "troupe-account-holds");
        this.reader.setDaemon(true);
    }

    /** Starts reading (blocking until the producer knows the topic); completes once the holds running now are known. */
    public CompletableFuture<Void> start() {
        producer.partitionsFor(topic);
        reader.start();
        return caughtUp;
    }

    /** Tells the fleet to hold for {@code hold}: Givon refused {@code jobId}'s submission for want of credit. */
    public void announce(String jobId, Duration hold, String reason) {
        if (closed) {
            return;
        }
        BudgetEntry.Hold entry = new BudgetEntry.Hold(jobId, Math.max(1, hold.toMillis()), reason);
        try {
            producer.send(new ProducerRecord<>(topic, PARTITION, BudgetEntry.ACCOUNT.getBytes(StandardCharsets.UTF_8),
                    codec.encode(entry)), (metadata, error) -> {
                        if (error != null) {
                            log.warn("the hold of the Givon account was not written to {}: other workers learn it from Givon: {}",
                                    topic, error.toString());
                        }
                    });
        } catch (RuntimeException e) {
            log.warn("the hold of the Givon account was not written to {}: {}", topic, e.toString());
        }
    }

    private void read() {
        TopicPartition partition = new TopicPartition(topic, PARTITION);
        try {
            consumer.assign(List.of(partition));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(
                    Map.of(partition, clock.instant().minus(lookBack).toEpochMilli()), Duration.ofSeconds(30));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            OffsetAndTimestamp first = found.get(partition);
            consumer.seek(partition, first == null ? end : first.offset());
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (!caughtUp.isDone() && consumer.position(partition) >= end) {
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                log.error("the reader of the Givon account's holds on {} was woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            log.error("the reader of the Givon account's holds on {} stopped: this worker learns them from Givon alone", topic, e);
            caughtUp.completeExceptionally(e);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null || !(codec.decode(record.value()) instanceof BudgetCodec.Entry read)
                || !(read.entry() instanceof BudgetEntry.Hold hold)) {
            return; // a budget's record (or not one at all: the budget reader reports those)
        }
        Instant until = Instant.ofEpochMilli(record.timestamp()).plusMillis(hold.holdMillis());
        if (until.isAfter(clock.instant())) {
            listener.held(until, hold.reason() + " (answered to job " + hold.jobId() + ")");
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close(Duration.ofSeconds(5));
    }
}
