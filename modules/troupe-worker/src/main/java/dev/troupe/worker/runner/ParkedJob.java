package dev.troupe.worker.runner;

import dev.troupe.model.Tokens;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * A job waiting in {@link TenantParking}: in memory (its snapshot, while its PARKED entry is being
 * written, or always when the journal is off), or shelved (only what a resume needs before it
 * reads the job back from the journal at {@link #journalOffset}). Confined to the runner's event loop.
 */
final class ParkedJob {

    /**
     * What a shelved job is counted as against {@code max-parked-bytes}: an estimate of the object, its
     * fields, its jobId and batchId, not a measurement (no benchmark weighs a handle yet).
     */
    static final int SHELVED_BYTES = 240;

    private final String jobId;
    private final String tenant;
    /** What a cancel is matched on ({@link ControlGate#cancelOf(ParkedJob)}), so that a shelved job ends at once. */
    private final String batchId;
    private final long enqueuedAtMillis;
    private final Tokens cost;
    private final TopicPartition partition;
    private final long assignment;
    private JobSnapshot snapshot;
    private long journalOffset;
    private boolean dropped;

    private ParkedJob(String jobId, String tenant, String batchId, Instant enqueuedAt, Tokens cost, TopicPartition partition,
                      long assignment, JobSnapshot snapshot, long journalOffset) {
        this.jobId = jobId;
        this.tenant = tenant;
        this.batchId = batchId;
        this.enqueuedAtMillis = enqueuedAt.toEpochMilli();
        this.cost = cost;
        this.partition = partition;
        this.assignment = assignment;
        this.snapshot = snapshot;
        this.journalOffset = journalOffset;
    }

    static ParkedJob inMemory(JobSnapshot parked) {
        return new ParkedJob(parked.jobId(), parked.tenant(), parked.job().batchId(), parked.record().timestamp(),
                parked.estimatedCost(), parked.partition(), parked.record().assignment(), parked, -1);
    }

    /**
     * A job the journal holds at {@code journalOffset} of {@code partition}'s state partition, for that
     * assignment; {@code enqueuedAt} is its record's time (a cancel given before it applies).
     */
    static ParkedJob shelved(String jobId, String tenant, String batchId, Instant enqueuedAt, Tokens cost, TopicPartition partition,
                             long assignment, long journalOffset) {
        return new ParkedJob(jobId, tenant, batchId, enqueuedAt, cost, partition, assignment, null, journalOffset);
    }

    /** Its PARKED entry is acknowledged: the snapshot leaves memory. */
    void shelve(long offset) {
        this.snapshot = null;
        this.journalOffset = offset;
    }

    boolean inMemory() {
        return snapshot != null;
    }

    /** Its record bytes while in memory, else what the shelved form holds. */
    long bytes() {
        return snapshot != null ? snapshot.recordBytes() : SHELVED_BYTES;
    }

    String jobId() {
        return jobId;
    }

    String tenant() {
        return tenant;
    }

    String batchId() {
        return batchId;
    }

    Instant enqueuedAt() {
        return Instant.ofEpochMilli(enqueuedAtMillis);
    }

    Tokens cost() {
        return cost;
    }

    TopicPartition partition() {
        return partition;
    }

    long assignment() {
        return assignment;
    }

    /** The parked snapshot while in memory; null once shelved. */
    JobSnapshot snapshot() {
        return snapshot;
    }

    long journalOffset() {
        return journalOffset;
    }

    /** Taken out of parking (its partition revoked): a late acknowledgement must not shelve it. */
    void drop() {
        dropped = true;
    }

    boolean dropped() {
        return dropped;
    }

    @Override
    public String toString() {
        return "ParkedJob[" + jobId + " of " + partition + (snapshot != null ? ", in memory" : ", journal offset " + journalOffset) + "]";
    }
}
