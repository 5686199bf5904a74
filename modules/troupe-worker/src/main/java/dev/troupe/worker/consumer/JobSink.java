package dev.troupe.worker.consumer;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/** What the consumer thread hands records to (the job runner). Calls come from the consumer thread. */
public interface JobSink {

    /** New records, in offset order per partition. Must not block: hop to the runner's own context. */
    void deliver(List<JobRecord> records);

    /**
     * The partitions are being taken away. Jobs not yet submitted are dropped (the next owner runs
     * them); the future completes when every job of these partitions that Givon may hold has published
     * its result, so that the commit made on revocation covers them.
     */
    CompletableFuture<Void> revoke(Collection<TopicPartition> partitions);

    /**
     * Delivered records whose jobs wait for a budget window to roll, not for this worker's capacity.
     * They do not count against {@code worker.max-unfinished-records}, so that one tenant's spent budget
     * never stops the others. Called from the consumer thread: must be cheap and thread-safe.
     */
    int parkedRecords();

    /** The record bytes those parked jobs hold; above {@code worker.max-parked-bytes} the worker pauses. */
    long parkedBytes();
}
