package dev.troupe.worker.offset;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offset commit control for every partition a worker owns: jobs finish out of order, and each
 * partition commits only up to its oldest unfinished job (at-least-once: a crash redelivers at most
 * the unfinished jobs and those finished after them).
 *
 * <p>Partitions appear with their first {@link #track} and disappear on {@link #revoke}. Completions
 * for a revoked partition are ignored: its records are redelivered to the new owner, which runs or
 * dedupes them. (If the same partition comes back and a late completion from the earlier
 * assignment lands on its redelivered record, committing past that record is still safe: its job
 * did reach a terminal state.) Only the consumer thread uses it.
 */
public final class OffsetTracker {

    private static final long NOTHING_COMMITTED = -1;

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private int inFlight;

    /** Starts tracking a record handed to a job; offsets of one partition must increase. */
    public synchronized void track(TopicPartition partition, long offset) {
        partitions.computeIfAbsent(partition, p -> new Partition()).offsets.track(offset);
        inFlight++;
    }

    /**
     * Marks the job of a record terminal.
     *
     * @return {@code false} when ignored: the partition is not (or no longer) assigned, the offset was
     *     never tracked, or it was already completed
     */
    public synchronized boolean complete(TopicPartition partition, long offset) {
        Partition state = partitions.get(partition);
        if (state == null || !state.offsets.complete(offset)) {
            return false;
        }
        inFlight--;
        return true;
    }

    /**
     * The commits to send now: each partition whose committable offset advanced since the last call,
     * at that offset. The returned offsets count as committed from here on; see {@link #commitFailed}.
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> commitsDue() {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        partitions.forEach((partition, state) -> {
            OptionalLong committable = state.offsets.committable();
            if (committable.isPresent() && committable.getAsLong() > state.committed) {
                state.committed = committable.getAsLong();
                due.put(partition, new OffsetAndMetadata(state.committed));
            }
        });
        return due;
    }

    /**
     * Tells the tracker that a commit returned by {@link #commitsDue} failed, so that the next call
     * offers those partitions again (unless a later commit has been handed out since).
     */
    public synchronized void commitFailed(Map<TopicPartition, OffsetAndMetadata> failed) {
        failed.forEach((partition, commit) -> {
            Partition state = partitions.get(partition);
            if (state != null && state.committed == commit.offset()) {
                state.committed = NOTHING_COMMITTED;
            }
        });
    }

    /**
     * Forgets the given partitions (rebalance or shutdown) and returns the last safe commit of each one
     * that tracked anything, even when it equals an offset already handed out: this is the partition's
     * final commit from this worker, and repeating it covers an earlier asynchronous commit that failed.
     * For lost partitions, call it and drop the result.
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> revoked) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : revoked) {
            Partition state = partitions.remove(partition);
            if (state == null) {
                continue;
            }
            inFlight -= state.offsets.inFlight();
            // The next owner learns which records above the commit already have results (FinishedAhead).
            state.offsets.committable().ifPresent(offset -> commits.put(partition,
                    new OffsetAndMetadata(offset, FinishedAhead.encode(offset, state.offsets.finishedAhead()))));
        }
        return commits;
    }

    /** Jobs in flight over all partitions. */
    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int inFlight(TopicPartition partition) {
        Partition state = partitions.get(partition);
        return state == null ? 0 : state.offsets.inFlight();
    }

    /** The partitions currently tracked. */
    public synchronized Set<TopicPartition> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    private static final class Partition {
        final PartitionOffsets offsets = new PartitionOffsets();
        long committed = NOTHING_COMMITTED;
    }
}
