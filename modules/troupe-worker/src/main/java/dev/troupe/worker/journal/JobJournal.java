package dev.troupe.worker.journal;

import dev.troupe.model.JournalEntry;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The per-job journal (DESIGN.md "The job journal"): what a job's next owner needs to neither lose it
 * nor pay for it twice. Partitions are named by their {@code troupe.jobs} partition; the journal
 * writes to and reads from the state partition with the same number.
 */
public interface JobJournal extends AutoCloseable {

    /**
     * Reads the partition's journal to its end: the latest entry of each job (tombstoned jobs absent,
     * finished ones older than {@code journal.retention} dropped). Called from the consumer thread;
     * never blocks it: completes on a journal thread.
     */
    CompletableFuture<JournalRestore> recover(TopicPartition jobsPartition);

    /**
     * Writes the entry; completes once every in-sync replica has it (acks=all), on the calling Vert.x
     * context when there is one. Fails only when the journal is closed or Kafka refuses the write for good.
     */
    Future<Void> record(TopicPartition jobsPartition, JournalEntry entry);

    /**
     * Writes a PARKED entry like {@link #record}; completes with its offset in the state partition, by
     * which {@link #readBack} finds the job again (-1 when nothing is written).
     */
    Future<Long> park(TopicPartition jobsPartition, JournalEntry.Parked entry);

    /**
     * Reads the entries at these offsets of the partition's journal (PARKED entries that
     * {@link #park} wrote), by offset; an offset that holds no readable entry any more is absent.
     * Never blocks the caller: completes on the calling Vert.x context (on a journal thread when there is none).
     */
    Future<Map<Long, JournalEntry>> readBack(TopicPartition jobsPartition, Collection<Long> offsets);

    /** A tombstone: the job is forgotten once compaction runs. Same completion as {@link #record}. */
    Future<Void> forget(TopicPartition jobsPartition, String jobId);

    /** False for {@link #disabled()}: nothing is written or read. */
    default boolean enabled() {
        return true;
    }

    @Override
    void close();

    /** The journal of {@code journal.enabled: false}: writes succeed at once, a restore is empty. */
    static JobJournal disabled() {
        return DisabledJournal.INSTANCE;
    }
}
