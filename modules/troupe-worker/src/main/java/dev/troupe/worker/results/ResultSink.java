package dev.troupe.worker.results;

import dev.troupe.model.JobResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.worker.consumer.JobRecord;
import io.vertx.core.Future;

/**
 * Where a record's one outcome goes: its job's result or its dead letter. Two ways, set by
 * {@code results.delivery}: {@link ResultPublisher} (at-least-once: each record acknowledged on its
 * own, the offset committed after) and {@link TransactionalResults} (exactly-once: outcomes, journal
 * outcomes and offsets in one Kafka transaction). Futures complete on the runner's context.
 */
public interface ResultSink extends AutoCloseable {

    /**
     * Publishes the result of {@code record}'s job; completes once it is durable. With
     * {@link #transactional()} the journal {@code outcome} (null when the journal is off) and the
     * record's offset commit with it; otherwise {@code outcome} must be null.
     */
    Future<Void> publish(JobRecord record, JobResult result, JournalEntry outcome);

    /** Publishes a dead letter for {@code record}; completes as {@link #publish}. */
    Future<Void> deadLetter(JobRecord record, String errorCode, String errorMessage);

    /**
     * Whether a publish commits the record's offset and the job's journal outcome too, in one
     * transaction; when false the caller journals the outcome and completes the offset itself.
     */
    boolean transactional();

    @Override
    void close();
}
