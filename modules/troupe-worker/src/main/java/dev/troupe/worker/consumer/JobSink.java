package dev.troupe.worker.consumer;

import dev.troupe.worker.journal.JournalRestore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/** What the consumer thread hands records to (the job runner). Calls come from the consumer thread and must not block. */
public interface JobSink {

    /**
     * A newly assigned partition's journal, read to its end before any of its records is delivered:
     * what the previous owner had at Givon, what it parked and what it finished, for the partition's
     * assignment numbered {@code assignment} (the jobs resumed from it publish for that assignment).
     * Once the generations it holds count against the limiter, the runner runs {@code counted} on its
     * own context.
     */
    void restored(JournalRestore restore, long assignment, Runnable counted);

    /** New records, in offset order per partition. Must not block: hop to the runner's own context. */
    void deliver(List<JobRecord> records);

    /**
     * The partitions are being taken away. Jobs not yet submitted are dropped (the next owner runs
     * them); when every job of these partitions the runner keeps has ended or was handed over (at the
     * latest after {@code grace}), it adds {@link ConsumerCommand.HandedBack} to the consumer's
     * commands, after the completions of those jobs.
     */
    void revoke(Collection<TopicPartition> partitions, Duration grace);

    /**
     * Delivered records whose jobs wait in memory for a budget window to roll, not for this worker's capacity
     * (with the journal on, a parked job's record is finished once its PARKED entry is acknowledged).
     * They do not count against {@code worker.max-unfinished-records}, so that one tenant's spent budget
     * never stops the others. Must be cheap and thread-safe.
     */
    int parkedRecords();

    /** The record bytes those parked jobs hold; above {@code worker.max-parked-bytes} the worker pauses. */
    long parkedBytes();
}
