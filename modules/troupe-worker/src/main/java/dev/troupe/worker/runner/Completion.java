package dev.troupe.worker.runner;

import dev.troupe.model.JobResult;
import dev.troupe.worker.consumer.ConsumerCommands;
import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.ops.WorkerMetrics;
import dev.troupe.worker.results.ResultPublisher;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every job and record: publish its one result (or dead letter), then tell the consumer
 * thread that the offset is finished, and release the repeats that waited for it.
 */
final class Completion {

    private static final Logger log = LoggerFactory.getLogger(Completion.class);

    private final JobLifecycle lifecycle;
    private final ResultPublisher publisher;
    private final ConsumerCommands completions;
    private final RecentJobIds<DeliveredRecord> recent;
    private final WorkerMetrics metrics;

    Completion(JobLifecycle lifecycle, ResultPublisher publisher, ConsumerCommands completions, RecentJobIds<DeliveredRecord> recent,
               WorkerMetrics metrics) {
        this.lifecycle = lifecycle;
        this.publisher = publisher;
        this.completions = completions;
        this.recent = recent;
        this.metrics = metrics;
    }

    /** The job ends with {@code result}: Publishing, then Done once Kafka has the result and the journal its outcome. */
    void finish(JobSnapshot job, JobResult result) {
        JobSnapshot publishing = job.to(new JobState.Publishing(result));
        lifecycle.move(job, publishing);
        publisher.publish(result)
                .recover(e -> {
                    // The worker stopped with this job unfinished: its record is uncommitted, the next owner runs it.
                    log.warn("result of {} not published: {}", job.jobId(), e.toString());
                    return Future.failedFuture(e);
                })
                // Completions are queued in the same task as the move to Done: a hand-back released by it is
                // queued after them (ActiveJobs defers it), so its commit covers this offset.
                .compose(published -> lifecycle.move(publishing, publishing.to(new JobState.Done(result))).recover(e -> {
                    // Its record stays uncommitted: the next owner finds the generation in the journal and publishes again.
                    log.warn("result of {} published, but its outcome not journaled: {}", job.jobId(), e.toString());
                    return Future.failedFuture(e);
                }))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        return;
                    }
                    metrics.finished(result);
                    finished(job.record(), job.jobId());
                });
    }

    /** A result for a record that never became a job (rejected before admission). */
    void publishWithoutJob(JobRecord record, String jobId, JobResult result) {
        publisher.publish(result).onComplete(ar -> {
            if (ar.failed()) {
                log.warn("result of {} not published: the worker stopped", jobId);
                return;
            }
            metrics.finished(result);
            finished(record, jobId);
        });
    }

    void deadLetter(JobRecord record, String code, String message) {
        metrics.deadLettered();
        publisher.deadLetter(record, code, message).onComplete(ar -> {
            if (ar.failed()) {
                log.warn("{} not dead-lettered: the worker stopped", record.coordinates());
                return;
            }
            completions.complete(record.partition(), record.offset());
        });
    }

    /** A record that needs nothing more (a repeat of a finished job). */
    void skip(JobRecord record) {
        completions.complete(record.partition(), record.offset());
    }

    private void finished(JobRecord record, String jobId) {
        List<DeliveredRecord> repeats = recent.finished(jobId);
        completions.complete(record.partition(), record.offset());
        for (DeliveredRecord repeat : repeats) {
            completions.complete(repeat.record().partition(), repeat.record().offset());
        }
    }
}
