package dev.troupe.worker.consumer;

import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * A record taken from {@code troupe.jobs}, handed from the consumer thread to the runner.
 *
 * @param assignment the number of the partition's assignment it was read in (see
 *                   {@code OffsetTracker.assign}): an outcome for an earlier assignment is not published
 */
public record JobRecord(TopicPartition partition, long offset, byte[] key, byte[] value, Headers headers, Instant timestamp,
                        long assignment) {

    public String coordinates() {
        return partition + "@" + offset;
    }

    /** The offset of a job that has no record of its own (resumed from the journal, its record committed). */
    public static final long NO_OFFSET = -1;

    /** A job resumed from the journal: its partition and assignment, no offset, no bytes. */
    public static JobRecord resumed(TopicPartition partition, Instant enqueuedAt, long assignment) {
        return new JobRecord(partition, NO_OFFSET, null, null, null, enqueuedAt, assignment);
    }

    /** False for a job resumed from the journal: no offset of {@code troupe.jobs} waits for it. */
    public boolean hasOffset() {
        return offset != NO_OFFSET;
    }

    /** Bytes of the value (0 when null). */
    public int size() {
        return value == null ? 0 : value.length;
    }

    /**
     * The coordinates and timestamp alone: what a job needs of its record once decoded, so that a
     * job held for minutes (running, or parked on a budget) does not also hold the record's bytes.
     */
    public JobRecord withoutPayload() {
        return new JobRecord(partition, offset, null, null, null, timestamp, assignment);
    }
}
