package dev.troupe.worker.consumer;

import dev.troupe.worker.offset.OffsetTracker;
import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * How the consumer thread makes finished records count: {@link OffsetCommits} commits offsets alone
 * (at-least-once), {@code ResultTransactions} publishes outcomes and commits offsets in one Kafka
 * transaction (exactly-once). Used by the consumer thread only.
 */
public interface Committer extends AutoCloseable {

    /** Before the first poll (a transactional producer registers its id here). Blocking. */
    default void start() {
    }

    /** An outcome whose record's offset the tracker has just completed; it goes with the next commit. */
    void stage(ConsumerCommand.Publish publish);

    /**
     * Called on every turn of the loop: commits what the tracker says is due, when it is time to
     * ({@code now}: at once, e.g. while a hand-back waits for outcomes).
     */
    void commitDue(OffsetTracker offsets, boolean now);

    /**
     * The last commit of partitions this worker gives up (revocation, shutdown): takes them from the
     * tracker and commits their final offsets with everything staged; blocks until it is done or
     * failed. Their outcomes that could not be committed are dropped (the next owner ends those jobs).
     */
    void commitFinal(OffsetTracker offsets, Collection<TopicPartition> partitions, String why);

    /** The partitions are gone (lost): their staged outcomes are dropped, unpublished. */
    void drop(Collection<TopicPartition> partitions);

    /** Outcomes staged and not committed yet. */
    int staged();

    @Override
    void close();
}
