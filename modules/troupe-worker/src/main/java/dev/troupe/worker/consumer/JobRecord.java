package dev.troupe.worker.consumer;

import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/** A record taken from {@code troupe.jobs}, handed from the consumer thread to the runner. */
public record JobRecord(TopicPartition partition, long offset, byte[] key, byte[] value, Headers headers, Instant timestamp) {

    public String coordinates() {
        return partition + "@" + offset;
    }
}
