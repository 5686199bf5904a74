package dev.troupe.worker.budget;

import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import dev.troupe.model.Tokens;
import dev.troupe.worker.kafka.TopicFollower;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limited budgets shared by the fleet through {@code troupe.budget} (DESIGN.md "Fleet quotas"): a
 * request is a RESERVE record keyed by its budget; one reader thread ({@code troupe-budget-reader})
 * reads every partition of the topic from the first record of the current windows on and applies
 * each record to that budget's {@link FleetLedger} in log order, with the record's broker time, so
 * every worker reaches the same decisions; a worker learns its own request's fate when the reader
 * reaches it. Settlements and releases are records too. Budgets without a limit never come here.
 *
 * <p>Threads: {@link #reserve}, {@link #settle} and {@link #release} only send (the producer's own
 * thread does the rest) and do not block once the producer knows the topic, which {@link #start}
 * makes sure of (a send still waits when the producer's buffer is full); futures complete on the
 * reader thread. {@link #close()} blocks.
 */
public final class FleetBudgetLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetBudgetLog.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final BudgetCodec codec = new BudgetCodec();
    private final Map<String, FleetLedger> ledgers = new HashMap<>();
    private final String requester;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, CompletableFuture<FleetLedger.Decision>> pending = new ConcurrentHashMap<>();
    /** Each budget's current window, as the reader last left it; any thread reads it. */
    private final Map<String, FleetLedger.WindowState> windows = new ConcurrentHashMap<>();
    private final Consumer<String> capacityFreed;
    private final TopicFollower follower;

    /**
     * @param consumer      not in a group (assigned here), used by the reader thread alone; closed with this
     * @param rules         the limited budgets, by budget key
     * @param requester     unique to this worker's run: the prefix of its request ids
     * @param capacityFreed told (on the reader thread) the budget key whenever a reservation of it closes,
     *                      so that jobs parked on it try again, whoever's reservation it was
     */
    public FleetBudgetLog(Producer<byte[], byte[]> producer, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
                          String topic, Map<String, BudgetRule> rules, String requester, Clock clock, Consumer<String> capacityFreed) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.requester = Objects.requireNonNull(requester, "requester");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.capacityFreed = Objects.requireNonNull(capacityFreed, "capacityFreed");
        rules.forEach((key, rule) -> ledgers.put(key, new FleetLedger(rule)));
        this.follower = new TopicFollower(consumer, topic, all -> all, POLL, "troupe-budget-reader",
                "requests of limited budgets will not be decided", new TopicFollower.Reader() {
                    @Override
                    public void seek(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> reading, List<TopicPartition> partitions) {
                        seekToCurrentWindows(reading, partitions);
                    }

                    @Override
                    public void apply(ConsumerRecord<byte[], byte[]> record) {
                        FleetBudgetLog.this.apply(record);
                    }

                    @Override
                    public void failed(RuntimeException error) {
                        failPending(error);
                    }
                });
    }

    /**
     * Starts reading; the future completes once the reader reached the log's end as it was at start.
     * Blocks (not on an event loop) until the producer knows the topic's partitions: a send waits for
     * them otherwise, and requests are sent from the runner's event loop.
     */
    public CompletableFuture<Void> start() {
        producer.partitionsFor(topic);
        return follower.start();
    }

    /** Asks the fleet for {@code amount} of {@code budget} for a job; completes when the reader reaches the request. */
    public CompletableFuture<FleetLedger.Decision> reserve(String budget, String jobId, Tokens amount) {
        requireLimited(budget);
        String requestId = requester + ":" + sequence.incrementAndGet();
        CompletableFuture<FleetLedger.Decision> decided = new CompletableFuture<>();
        pending.put(requestId, decided);
        send(new BudgetEntry.Reserve(budget, jobId, amount, requestId)).whenComplete((sent, error) -> {
            if (error != null && pending.remove(requestId) != null) {
                decided.completeExceptionally(error);
            }
        });
        return decided;
    }

    /** The job's reservation in {@code window} is spent at {@code cost}; completes once Kafka has the record. */
    public CompletableFuture<Void> settle(String budget, String jobId, long window, Tokens cost) {
        requireLimited(budget);
        return send(new BudgetEntry.Settle(budget, jobId, window, cost));
    }

    /** The job's reservation in {@code window} is given back; completes once Kafka has the record. */
    public CompletableFuture<Void> release(String budget, String jobId, long window) {
        requireLimited(budget);
        return send(new BudgetEntry.Release(budget, jobId, window));
    }

    /** The budget's current window as this worker's reader last saw it; null before the reader applied a record of it. */
    public FleetLedger.WindowState window(String budget) {
        return windows.get(budget);
    }

    private void requireLimited(String budget) {
        if (!ledgers.containsKey(budget)) {
            throw new IllegalArgumentException("budget " + budget + " has no limit here: it does not go through " + topic);
        }
    }

    private CompletableFuture<Void> send(BudgetEntry entry) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (follower.closed()) {
            sent.completeExceptionally(new IllegalStateException("the budget log on " + topic + " is closed"));
            return sent;
        }
        try {
            producer.send(new ProducerRecord<>(topic, entry.budget().getBytes(StandardCharsets.UTF_8), codec.encode(entry)),
                    (metadata, error) -> {
                        if (error == null) {
                            sent.complete(null);
                        } else {
                            sent.completeExceptionally(new IllegalStateException(entry.kind() + " of job " + entry.jobId()
                                    + " for budget " + entry.budget() + " was not written to " + topic + ": " + error, error));
                        }
                    });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    /**
     * From the first record of each budget's current window: the earliest start over the budgets
     * (they share partitions), found by the broker's time index (the topic appends with LogAppendTime).
     */
    private void seekToCurrentWindows(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Instant now = clock.instant();
        long earliest = ledgers.values().stream().mapToLong(l -> l.rule().windowStart(l.rule().windowIndex(now)).toEpochMilli()).min()
                .orElse(now.toEpochMilli());
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(tp -> at.put(tp, earliest));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(at, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp first = found.get(tp);
            consumer.seek(tp, first == null ? ends.get(tp) : first.offset());
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        BudgetCodec.Decoded decoded = record.value() == null ? null : codec.decode(record.value());
        if (!(decoded instanceof BudgetCodec.Entry read)) {
            log.warn("{}-{}@{} is not a budget record, skipped: {}", topic, record.partition(), record.offset(), decoded);
            return;
        }
        BudgetEntry entry = read.entry();
        FleetLedger ledger = ledgers.get(entry.budget());
        if (ledger == null) {
            return; // a budget this worker does not limit (configured elsewhere): not its to decide
        }
        Instant appendedAt = Instant.ofEpochMilli(record.timestamp());
        FleetLedger.Decision decision;
        if (entry instanceof BudgetEntry.Reserve reserve) {
            decision = ledger.reserve(reserve.jobId(), reserve.amount(), appendedAt);
            CompletableFuture<FleetLedger.Decision> mine = pending.remove(reserve.requestId());
            if (mine != null) {
                mine.complete(decision);
            }
        } else if (entry instanceof BudgetEntry.Settle settle) {
            decision = ledger.settle(settle.jobId(), settle.window(), settle.cost(), appendedAt);
        } else {
            BudgetEntry.Release release = (BudgetEntry.Release) entry;
            decision = ledger.release(release.jobId(), release.window(), appendedAt);
        }
        windows.put(entry.budget(), ledger.window(ledger.currentWindow()));
        if (decision instanceof FleetLedger.Closed) {
            capacityFreed.accept(entry.budget());
        }
    }

    private void failPending(Throwable cause) {
        pending.keySet().forEach(id -> {
            CompletableFuture<FleetLedger.Decision> request = pending.remove(id);
            if (request != null) {
                request.completeExceptionally(cause);
            }
        });
    }

    /** Stops the reader and closes the producer; undecided requests fail. Blocking. */
    @Override
    public void close() {
        follower.close();
        producer.close(Duration.ofSeconds(5));
        failPending(new IllegalStateException("the budget log on " + topic + " is closed"));
    }
}
