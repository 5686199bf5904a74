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
}
