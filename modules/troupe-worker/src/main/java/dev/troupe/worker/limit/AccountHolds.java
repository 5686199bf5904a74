package dev.troupe.worker.limit;

import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import dev.troupe.worker.kafka.TopicFollower;
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
    private final String topic;
    private final Duration lookBack;
    private final Clock clock;
    private final Listener listener;
    private final BudgetCodec codec = new BudgetCodec();
    private final TopicFollower follower;

    /**
     * @param consumer not in a group, used by the reader thread alone; closed with this
     * @param lookBack the longest hold any worker writes (its {@code worker.out-of-tokens-pause})
     */
    public AccountHolds(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer, String topic, Duration lookBack,
                        Clock clock, Listener listener) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.follower = new TopicFollower(consumer, topic, all -> List.of(new TopicPartition(topic, PARTITION)), POLL,
                "troupe-account-holds", "this worker learns the account's holds from Givon alone", new TopicFollower.Reader() {
                    @Override
                    public void seek(Consumer<byte[], byte[]> reading, List<TopicPartition> partitions) {
                        // From one longest hold ago: the holds that may still run.
                        TopicPartition partition = partitions.get(0);
                        Map<TopicPartition, OffsetAndTimestamp> found = reading.offsetsForTimes(
                                Map.of(partition, clock.instant().minus(lookBack).toEpochMilli()), Duration.ofSeconds(30));
                        OffsetAndTimestamp first = found.get(partition);
                        if (first == null) {
                            reading.seekToEnd(partitions);
                        } else {
                            reading.seek(partition, first.offset());
                        }
                    }

                    @Override
                    public void apply(ConsumerRecord<byte[], byte[]> record) {
                        AccountHolds.this.apply(record);
                    }
                });
    }

    /** Starts reading (blocking until the producer knows the topic); completes once the holds running now are known. */
    public CompletableFuture<Void> start() {
        producer.partitionsFor(topic);
        return follower.start();
    }

    /** Tells the fleet to hold for {@code hold}: Givon refused {@code jobId}'s submission for want of credit. */
    public void announce(String jobId, Duration hold, String reason) {
        if (follower.closed()) {
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
        follower.close();
        producer.close(Duration.ofSeconds(5));
    }
}
