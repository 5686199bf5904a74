package dev.troupe.cli.budget;

import dev.troupe.client.KafkaConnection;
import dev.troupe.client.KafkaUnreachableException;
import dev.troupe.client.MissingTopicsException;
import dev.troupe.worker.limit.AccountHolds;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads {@code troupe.budget} for {@code troupe budget}: every partition, without a consumer group
 * (it commits nothing and disturbs no one), from the first record of the earliest window asked for
 * (the broker's time index: the topic appends with {@code LogAppendTime}), as the workers' reader does;
 * partition {@value AccountHolds#PARTITION}, where the Givon account's holds are, also from the
 * earliest hold asked for, as the workers' {@link AccountHolds} reads it.
 * Used by one thread; {@link #wakeup()} may be called from any other (Ctrl-C), and so may an interrupt.
 */
public final class BudgetLogReader implements AutoCloseable {

    private final KafkaConnection kafka;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private Map<TopicPartition, Long> ends = Map.of();

    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * How far back holds are read at least: a worker writes holds of its worker.out-of-tokens-pause, and
     * one configured longer than this machine's configuration says may still be running.
     */
    public static final Duration MIN_HOLD_LOOK_BACK = Duration.ofHours(1);

    /** How far back to read the Givon account's holds: the configured pause, and at least {@link #MIN_HOLD_LOOK_BACK}. */
    public static Duration holdLookBack(Duration outOfTokensPause) {
        return outOfTokensPause.compareTo(MIN_HOLD_LOOK_BACK) > 0 ? outOfTokensPause : MIN_HOLD_LOOK_BACK;
    }

    public BudgetLogReader(KafkaConnection kafka, String topic) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.consumer = new KafkaConsumer<>(consumerConfig(kafka));
    }

    /**
     * Assigns every partition, seeks each to its first record appended at or after the earliest of
     * {@code starts} (partition {@value AccountHolds#PARTITION}: or of {@code holdsFrom}, if earlier), and
     * notes the end offsets that {@link #readToEnd} reads to. With no {@code starts}, only the holds are read.
     *
     * @param holdsFrom the earliest append time of a hold that may still be running
     * @return those of {@code starts} whose windows may have lost records to retention: on some
     *         partition the first record at or after the start is the first the partition still holds
     *         and earlier ones were deleted (deletion removes the oldest records, which may have been of it)
     * @throws MissingTopicsException when the topic does not exist
     */
    public Set<Instant> open(Collection<Instant> starts, Instant holdsFrom) {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, kafka.timeout());
            if (infos == null || infos.isEmpty()) {
                throw new MissingTopicsException(kafka.bootstrapServers(), List.of(topic));
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, kafka.timeout());
            ends = Map.copyOf(consumer.endOffsets(partitions, kafka.timeout()));
            Map<TopicPartition, Long> seekTo = new HashMap<>(ends);
            Set<Instant> partial = new TreeSet<>();
            for (Instant start : new HashSet<>(starts)) {
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(tp -> at.put(tp, start.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(at, kafka.timeout());
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp first = found.get(tp);
                    long offset = first == null ? ends.get(tp) : first.offset();
                    seekTo.merge(tp, offset, Math::min);
                    long beginning = beginnings.get(tp);
                    if (beginning > 0 && offset == beginning) {
                        partial.add(start);
                    }
                }
            }
            TopicPartition holds = new TopicPartition(topic, AccountHolds.PARTITION);
            OffsetAndTimestamp firstHold = consumer.offsetsForTimes(Map.of(holds, holdsFrom.toEpochMilli()), kafka.timeout()).get(holds);
            if (firstHold != null) {
                seekTo.merge(holds, firstHold.offset(), Math::min);
            }
            seekTo.forEach(consumer::seek);
            return partial;
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "reading " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Hands every record that arrives within {@code timeout} to {@code tally}, in each partition's order. */
    public void poll(Duration timeout, BudgetTally tally) {
        poll(timeout, tally::apply);
    }

    /** Hands every record that arrives within {@code timeout} to {@code each} (its value and append time), in each partition's order. */
    public void poll(Duration timeout, java.util.function.BiConsumer<byte[], Instant> each) {
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
                each.accept(record.value(), Instant.ofEpochMilli(record.timestamp()));
            }
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "reading " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every partition up to the end it had when {@link #open} was called.
     *
     * @throws KafkaUnreachableException when the reader moves no further for the connection's timeout
     */
    public void readToEnd(BudgetTally tally) {
        long behind = behind();
        long lastMove = System.nanoTime();
        while (behind > 0) {
            poll(POLL, tally);
            long now = behind();
            if (now < behind) {
                behind = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > kafka.timeout().toNanos()) {
                throw new KafkaUnreachableException(kafka, "reading " + topic + ": " + behind + " records to go and none came", null);
            }
        }
    }

    /** Records between the reader's positions and the ends seen by {@link #open}. */
    private long behind() {
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            behind += Math.max(0, end.getValue() - consumer.position(end.getKey(), kafka.timeout()));
        }
        return behind;
    }

    /** Makes a blocked or the next {@link #poll} throw {@code WakeupException}; any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    /** Closes the consumer; also after an interrupt (a watch stopped that way), which stays set. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, Object> consumerConfig(KafkaConnection kafka) {
        // read_committed, outside any group: what the workers' reader sees.
        Map<String, Object> config = kafka.committedReaderConfig("troupe-budget");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return config;
    }
}
