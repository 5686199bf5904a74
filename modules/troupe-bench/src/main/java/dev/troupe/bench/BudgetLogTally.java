package dev.troupe.bench;

import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.FleetLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What one measurement left on its {@code troupe.budget} topic, replayed with the rule every worker
 * applies ({@link FleetLedger}, in log order, at each record's broker time): how many reservations the
 * fleet granted and refused, settled and released. It shows that a limited budget's jobs really went
 * through the log, and that none waited on a refusal.
 *
 * @param records    budget records on the topic (every kind, every budget)
 * @param reserves   RESERVE records of the budget
 * @param granted    reservations granted afresh
 * @param reused     requests that found the job's reservation already in the log
 * @param refused    reservations refused (window spent, or more than a whole window)
 * @param closed     settlements and releases applied to an open reservation
 * @param ignored    settlements and releases of no open reservation
 * @param unreadable records that are not budget records
 * @param openAtEnd  reservations still open at the log's end (jobs abandoned when the worker closed)
 * @param peakHeld   the most the budget's window held at once (reserved plus spent)
 * @param limit      the budget's limit per window
 */
record BudgetLogTally(long records, long reserves, long granted, long reused, long refused, long closed, long ignored,
                      long unreadable, int openAtEnd, Tokens peakHeld, Tokens limit) {

    static final BudgetLogTally NONE = new BudgetLogTally(0, 0, 0, 0, 0, 0, 0, 0, 0, Tokens.ZERO, Tokens.ZERO);

    /** Reads the whole topic (it is the measurement's own, and the writers are closed) and replays {@code budget}'s records. */
    static BudgetLogTally read(String bootstrapServers, String topic, String budget, BudgetRule rule) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        BudgetCodec codec = new BudgetCodec();
        FleetLedger ledger = new FleetLedger(rule);
        long records = 0;
        long reserves = 0;
        long granted = 0;
        long reused = 0;
        long refused = 0;
        long closed = 0;
        long ignored = 0;
        long unreadable = 0;
        Tokens peak = Tokens.ZERO;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " to its end took more than 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    BudgetCodec.Decoded decoded = record.value() == null ? null : codec.decode(record.value());
                    if (!(decoded instanceof BudgetCodec.Entry read)) {
                        unreadable++;
                        continue;
                    }
                    BudgetEntry entry = read.entry();
                    if (!entry.budget().equals(budget)) {
                        continue;
                    }
                    Instant at = Instant.ofEpochMilli(record.timestamp());
                    FleetLedger.Decision decision;
                    if (entry instanceof BudgetEntry.Reserve reserve) {
                        reserves++;
                        decision = ledger.reserve(reserve.jobId(), reserve.amount(), at);
                    } else if (entry instanceof BudgetEntry.Settle settle) {
                        decision = ledger.settle(settle.jobId(), settle.window(), settle.cost(), at);
                    } else {
                        BudgetEntry.Release release = (BudgetEntry.Release) entry;
                        decision = ledger.release(release.jobId(), release.window(), at);
                    }
                    if (decision instanceof FleetLedger.Granted g) {
                        if (g.reused()) {
                            reused++;
                        } else {
                            granted++;
                        }
                    } else if (decision instanceof FleetLedger.Exhausted || decision instanceof FleetLedger.TooLarge) {
                        refused++;
                    } else if (decision instanceof FleetLedger.Closed) {
                        closed++;
                    } else {
                        ignored++;
                    }
                    FleetLedger.WindowState w = ledger.window(ledger.currentWindow());
                    peak = Tokens.max(peak, w.reserved().plus(w.spent()));
                }
            }
        }
        int open = ledger.currentWindow() == Long.MIN_VALUE ? 0 : ledger.window(ledger.currentWindow()).open();
        return new BudgetLogTally(records, reserves, granted, reused, refused, closed, ignored, unreadable, open, peak, rule.limit());
    }

    BudgetLogTally plus(BudgetLogTally other) {
        return new BudgetLogTally(records + other.records, reserves + other.reserves, granted + other.granted,
                reused + other.reused, refused + other.refused, closed + other.closed, ignored + other.ignored,
                unreadable + other.unreadable, openAtEnd + other.openAtEnd, Tokens.max(peakHeld, other.peakHeld),
                Tokens.max(limit, other.limit));
    }
}
