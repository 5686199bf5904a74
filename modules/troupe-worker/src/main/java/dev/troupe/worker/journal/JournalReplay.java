package dev.troupe.worker.journal;

import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalDecodeResult;
import dev.troupe.model.JournalEntry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * One restore: reads a state partition from its beginning to the end offset it had when the read
 * began (its high watermark: with a transaction still open there, a read_committed read waits until
 * the transaction is committed or aborted, so no entry written after it is missed), keeping the latest entry of each job (a tombstone removes it, an unreadable record is
 * counted and skipped), then drops the finished entries older than the retention. Runs on a journal
 * thread and blocks it; the consumer is assigned (no group) and used by this thread only.
 *
 * <p>Memory: one decoded entry per job still journaled (a parked one without its job, which stays
 * in the journal until {@link #readAt} reads it back), plus what one poll fetches (bounded by the
 * consumer's fetch sizes). A broker that does not answer is waited for, call after call, until
 * {@code patience} has passed without progress; then the read fails.
 */
final class JournalReplay {

    /** One call's wait: short enough that a missing broker is retried often within the patience. */
    private static final Duration STEP = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Records between two wanted offsets above which a read-back seeks rather than reads through. */
    private static final long SEEK_GAP = 500;

    /** What was read, and the finished jobs dropped for their age (to be tombstoned). */
    record Outcome(JournalRestore restore, List<String> expired, Unreadable firstUnreadable) {
    }

    /** The first record that was not an entry, for the one log line of a restore. */
    record Unreadable(long offset, String reason) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition jobsPartition;
    private final TopicPartition statePartition;
    private final JournalCodec codec;
    private final Instant expiredBefore;
    private final Duration patience;
    private final LogEnd logEnd;

    /** Where a state partition's log ends now, read_uncommitted (null: the consumer's own end offset). */
    @FunctionalInterface
    interface LogEnd {
        long of(TopicPartition statePartition, Duration timeout);
    }

    private final Map<String, JournalEntry> latest = new HashMap<>();
    /** Parked jobs by jobId, in the order of their latest PARKED entry. */
    private final Map<String, JournalRestore.Parked> parked = new LinkedHashMap<>();
    private long recordsRead;
    private long unreadable;
    private Unreadable firstUnreadable;
    private long lastProgress;

    JournalReplay(Consumer<byte[], byte[]> consumer, TopicPartition jobsPartition, String stateTopic, JournalCodec codec,
                  Instant expiredBefore, Duration patience, LogEnd logEnd) {
        this.consumer = consumer;
        this.jobsPartition = jobsPartition;
        this.statePartition = new TopicPartition(stateTopic, jobsPartition.partition());
        this.codec = codec;
        this.expiredBefore = expiredBefore;
        this.patience = patience;
        this.logEnd = logEnd;
    }

    /**
     * @throws IllegalStateException naming the state partition, when Kafka refused the read or made no
     *                               progress for {@code patience}
     */
    Outcome run() {
        long started = System.nanoTime();
        lastProgress = started;
        List<TopicPartition> partitions = List.of(statePartition);
        consumer.assign(partitions);
        long end = patiently("its end offset", () -> logEnd != null ? logEnd.of(statePartition, STEP)
                : consumer.endOffsets(partitions, STEP).get(statePartition));
        consumer.seekToBeginning(partitions);
        long position = patiently("its first offset", () -> consumer.position(statePartition, STEP));
        while (position < end) {
            Iterable<ConsumerRecord<byte[], byte[]>> records = patiently("records", () -> consumer.poll(POLL).records(statePartition));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.offset() >= end) {
                    break;
                }
                apply(record);
            }
            long now = patiently("its position", () -> consumer.position(statePartition, STEP));
            if (now > position) {
                position = now;
                lastProgress = System.nanoTime();
            } else {
                requirePatience("records up to offset " + end + " (at " + position + ")", null);
            }
        }
        List<String> expired = dropExpired();
        JournalRestore restore = new JournalRestore(jobsPartition, latest, List.copyOf(parked.values()), recordsRead, unreadable,
                Duration.ofNanos(System.nanoTime() - started));
        return new Outcome(restore, expired, firstUnreadable);
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        recordsRead++;
        String key = utf8(record.key());
        if (key == null) {
            skip(record.offset(), "its key is missing or not UTF-8 (a journal record's key is its jobId)");
            return;
        }
        if (record.value() == null) {
            latest.remove(key);
            parked.remove(key);
            return;
        }
        JournalDecodeResult decoded = codec.decode(record.value());
        if (decoded instanceof JournalDecodeResult.Unreadable u) {
            skip(record.offset(), u.toString());
        } else if (decoded instanceof JournalDecodeResult.Decoded d && !d.entry().jobId().equals(key)) {
            // Compaction keeps records by key: an entry under another job's key would outlive its own job's.
            skip(record.offset(), "its key is not its entry's jobId " + d.entry().jobId());
        } else if (decoded instanceof JournalDecodeResult.Decoded d) {
            latest.remove(key);
            parked.remove(key);
            if (d.entry() instanceof JournalEntry.Parked p) {
                parked.put(key, JournalRestore.Parked.of(p, record.offset()));
            } else {
                latest.put(key, d.entry());
            }
        }
    }

    /**
     * Reads the entries at {@code offsets} (a resume reading parked jobs back), seeking over gaps and
     * reading through runs; an offset compaction removed, or whose record is not a readable entry of
     * its key, is absent from the answer.
     */
    Map<Long, JournalEntry> readAt(Collection<Long> offsets) {
        lastProgress = System.nanoTime();
        List<TopicPartition> partitions = List.of(statePartition);
        consumer.assign(partitions);
        long end = patiently("its end offset", () -> logEnd != null ? logEnd.of(statePartition, STEP)
                : consumer.endOffsets(partitions, STEP).get(statePartition));
        TreeSet<Long> wanted = new TreeSet<>(offsets);
        wanted.headSet(0L).clear();
        wanted.tailSet(end).clear();
        Map<Long, JournalEntry> found = new HashMap<>();
        long position = -1;
        while (!wanted.isEmpty()) {
            long next = wanted.first();
            if (position < 0 || next < position || next - position > SEEK_GAP) {
                consumer.seek(statePartition, next);
                position = next;
            }
            Iterable<ConsumerRecord<byte[], byte[]>> records = patiently("records", () -> consumer.poll(POLL).records(statePartition));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (wanted.remove(record.offset())) {
                    JournalDecodeResult decoded = record.value() == null ? null : codec.decode(record.value());
                    if (decoded instanceof JournalDecodeResult.Decoded d && d.entry().jobId().equals(utf8(record.key()))) {
                        found.put(record.offset(), d.entry());
                    }
                }
            }
            long now = patiently("its position", () -> consumer.position(statePartition, STEP));
            // Offsets passed without a record at them were compacted away.
            wanted.headSet(now).clear();
            if (now > position) {
                position = now;
                lastProgress = System.nanoTime();
            } else {
                requirePatience("records at offsets from " + next, null);
            }
        }
        return found;
    }

    private void skip(long offset, String reason) {
        unreadable++;
        if (firstUnreadable == null) {
            firstUnreadable = new Unreadable(offset, reason);
        }
    }

    private List<String> dropExpired() {
        List<String> expired = new ArrayList<>();
        for (Iterator<Map.Entry<String, JournalEntry>> it = latest.entrySet().iterator(); it.hasNext(); ) {
            JournalEntry entry = it.next().getValue();
            if (entry.kind() == JournalEntry.Kind.FINISHED && entry.at().isBefore(expiredBefore)) {
                expired.add(entry.jobId());
                it.remove();
            }
        }
        return expired;
    }

    /** Calls until an answer, retrying what Kafka calls retriable until {@code patience} has passed without progress. */
    private <T> T patiently(String what, Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (RetriableException e) {
                requirePatience(what, e);
            } catch (KafkaException e) {
                throw new IllegalStateException("reading the journal " + statePartition + " failed: " + e, e);
            }
        }
    }

    private void requirePatience(String what, RuntimeException cause) {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("reading the journal " + statePartition + " was interrupted");
        }
        if (System.nanoTime() - lastProgress > patience.toNanos()) {
            throw new IllegalStateException("reading the journal " + statePartition + " made no progress for " + patience
                    + " (waiting for " + what + (cause == null ? "" : ": " + cause) + "); is Kafka up, and does the topic exist?",
                    cause);
        }
    }

    private static String utf8(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
