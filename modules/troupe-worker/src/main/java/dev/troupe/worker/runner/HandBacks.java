package dev.troupe.worker.runner;

import org.apache.kafka.common.TopicPartition;

/** The partitions being handed back (revoked), and how a job of one of them is left to the next owner. */
interface HandBacks {

    boolean includes(TopicPartition partition);

    /** Leaves the job to the partition's next owner once the journal has its latest state. */
    void handOver(JobSnapshot job);
}
