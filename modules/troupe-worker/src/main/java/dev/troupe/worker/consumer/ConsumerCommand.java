package dev.troupe.worker.consumer;

import dev.troupe.worker.journal.JournalRestore;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** Work for the consumer thread, handed to it on {@link ConsumerCommands} by the runner and the journal. */
public sealed interface ConsumerCommand {

    /** A record whose job needs nothing more from this worker: its offset may be committed. */
    record Complete(TopicPartition partition, long offset) implements ConsumerCommand {}

    /** The runner let go of these revoked partitions: every job it keeps of them has ended or was handed over. */
    record HandedBack(Set<TopicPartition> partitions) implements ConsumerCommand {}

    /** A partition's journal was read to its end, for the assignment numbered {@code assignment}. */
    record Restored(JournalRestore restore, long assignment) implements ConsumerCommand {}

    /** Reading a partition's journal failed; the partition stays paused and the read is tried again. */
    record RestoreFailed(TopicPartition partition, long assignment, Throwable cause) implements ConsumerCommand {}
}
