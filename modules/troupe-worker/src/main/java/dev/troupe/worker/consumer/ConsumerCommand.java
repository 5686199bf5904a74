package dev.troupe.worker.consumer;

import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.results.RecordForms;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Work for the consumer thread, handed to it on {@link ConsumerCommands} by the runner and the journal. */
public sealed interface ConsumerCommand {

    /** A record whose job needs nothing more from this worker: its offset may be committed. */
    record Complete(TopicPartition partition, long offset) implements ConsumerCommand {}

    /**
     * The outcome of a record, to publish in the same transaction that commits its offset
     * ({@code results.delivery: exactly-once}). {@code done} is called on the consumer thread: with null
     * once the transaction committed, with the reason when the outcome was dropped (its partition is no
     * longer this assignment's, or the worker stopped); the next owner then ends the job.
     */
    record Publish(JobRecord record, List<RecordForms> records, Consumer<Throwable> done) implements ConsumerCommand {
        public Publish {
            records = List.copyOf(records);
        }
    }

    /** The runner let go of these revoked partitions: every job it keeps of them has ended or was handed over. */
    record HandedBack(Set<TopicPartition> partitions) implements ConsumerCommand {}

    /** A partition's journal was read to its end, for the assignment numbered {@code assignment}. */
    record Restored(JournalRestore restore, long assignment) implements ConsumerCommand {}

    /** Reading a partition's journal failed; the partition stays paused and the read is tried again. */
    record RestoreFailed(TopicPartition partition, long assignment, Throwable cause) implements ConsumerCommand {}
}
