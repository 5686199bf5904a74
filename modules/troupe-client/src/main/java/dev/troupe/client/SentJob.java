package dev.troupe.client;

/** A job Kafka acknowledged on the jobs topic (acks=all). */
public record SentJob(String jobId, String topic, int partition, long offset) {
}
