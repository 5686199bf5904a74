package dev.troupe.worker.offset;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * did reach a terminal state.) It keeps a partition's state together: offsets, the last commit, and
 * whether its journal is still being read. Only the consumer thread uses it (no locks).
 */
public final class OffsetTracker {

    private static final long NOTHING_COMMITTED = -1;

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private int inFlight;
    private long assignments;

    /**
     * A partition is assigned: it is restoring (its journal being read, its records held back) until
     * {@link #restored}. Returns the assignment's number, so that a late answer for an earlier
     * assignment of the same partition is recognised.
     */
    public long assign(TopicPartition partition) {
        Partition state = new Partition(++assignments, Phase.RESTORING);
        Partition earlier = partitions.put(partition, state);
        if (earlier != null) {
            inFlight -= earlier.offsets.inFlight();
        }
        return state.assignment;
    }

    /** The partition's journal is read: its records may flow. False if that assignment is over. */
    public boolean restored(TopicPartition partition, long assignment) {
        Partition state = partitions.get(partition);
        if (state == null || state.assignment != assignment || state.phase != Phase.RESTORING) {
            return false;
        }
        state.phase = Phase.CONSUMING;
        return true;
    }

    /** Whether {@code assignment} is the partition's current assignment. */
    public boolean isCurrent(TopicPartition partition, long assignment) {
        Partition state = partitions.get(partition);
        return state != null && state.assignment == assignment;
    }

    /** Partitions whose journal is still being read: they stay paused. */
    public Set<TopicPartition> restoring() {
        Set<TopicPartition> restoring = new HashSet<>();
        partitions.forEach((partition, state) -> {
            if (state.phase == Phase.RESTORING) {
                restoring.add(partition);
            }
        });
        return restoring;
    }

    /**
     * Starts tracking a record handed to a job; offsets of one partition must increase.
     *
     * @return the number of the partition's assignment
     */
    public long track(TopicPartition partition, long offset) {
        Partition state = partitions.computeIfAbsent(partition, p -> new Partition(++assignments, Phase.CONSUMING));
        state.offsets.track(offset);
        inFlight++;
        return state.assignment;
    }

    /**
     * Marks the job of a record terminal.
     *
     * @return {@code false} when ignored: the partition is not (or no longer) assigned, the offset was
     *     never tracked, or it was already completed
     */
    public boolean complete(TopicPartition partition, long offset) {
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
    public Map<TopicPartition, OffsetAndMetadata> commitsDue() {
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
     * Every partition's safe commit now, changed since the last commit or not; no side effect. A
     * transaction sends them all, so that the group's coordinator fences it if this worker's
     * assignment is over (KIP-447), whichever partitions its outcomes belong to.
     */
    public Map<TopicPartition, OffsetAndMetadata> commitPoints() {
        Map<TopicPartition, OffsetAndMetadata> points = new HashMap<>();
        partitions.forEach((partition, state) -> state.offsets.committable()
                .ifPresent(offset -> points.put(partition, new OffsetAndMetadata(offset))));
        return points;
    }

    /**
     * Tells the tracker that a commit returned by {@link #commitsDue} failed, so that the next call
     * offers those partitions again (unless a later commit has been handed out since).
     */
    public void commitFailed(Map<TopicPartition, OffsetAndMetadata> failed) {
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
    public Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> revoked) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : revoked) {
            Partition state = partitions.remove(partition);
            if (state == null) {
                continue;
            }
            inFlight -= state.offsets.inFlight();
            // Records above the commit that already have results are known to the next owner from the journal.
            state.offsets.committable().ifPresent(offset -> commits.put(partition, new OffsetAndMetadata(offset)));
        }
        return commits;
    }

    /** Jobs in flight over all partitions. */
    public int inFlight() {
        return inFlight;
    }

    public int inFlight(TopicPartition partition) {
        Partition state = partitions.get(partition);
        return state == null ? 0 : state.offsets.inFlight();
    }

    /** The partitions currently tracked. */
    public Set<TopicPartition> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Where an assigned partition is: its journal being read, or its records flowing. */
    public enum Phase { RESTORING, CONSUMING }

    /** Everything this worker knows of one assigned partition. */
    private static final class Partition {
        final long assignment;
        final PartitionOffsets offsets = new PartitionOffsets();
        long committed = NOTHING_COMMITTED;
        Phase phase;

        Partition(long assignment, Phase phase) {
            this.assignment = assignment;
            this.phase = phase;
        }
    }
}
