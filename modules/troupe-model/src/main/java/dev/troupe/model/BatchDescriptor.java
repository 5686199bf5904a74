package dev.troupe.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a batch is, on {@code troupe.batches} (schema {@value #SCHEMA}, key = batchId), written by
 * {@code troupe batch} before its jobs: the batch tracker completes the batch once {@code jobs}
 * distinct jobs of it have a terminal result, and {@code troupe watch --batch} counts against it
 * instead of scanning {@code troupe.jobs}.
 *
 * @param tenant          the budget key of its jobs; null when they name none
 * @param jobs            distinct jobIds of the batch, 1 to {@value #MAX_JOBS}
 * @param estimatedTokens what the batch costs if every job succeeds (the catalogue's price)
 * @param createdAt       when it was written (the writer's clock)
 */
public record BatchDescriptor(String batchId, String tenant, int jobs, Tokens estimatedTokens, Instant createdAt) {

    public static final String SCHEMA = "troupe.batch/v1";
    /** A manifest expands to at most this many jobs (JSON Schema and the tracker rely on it). */
    public static final int MAX_JOBS = 1_000_000;

    public BatchDescriptor {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(estimatedTokens, "estimatedTokens");
        Objects.requireNonNull(createdAt, "createdAt");
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("jobs must be 1 to " + MAX_JOBS + ", was " + jobs);
        }
        if (estimatedTokens.isNegative()) {
            throw new IllegalArgumentException("estimatedTokens must not be negative, was " + estimatedTokens);
        }
    }
}
