package dev.troupe.worker.runner;

import dev.troupe.model.ControlCommand;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.worker.consumer.ConsumerCommands;
import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.ops.WorkerMetrics;
import dev.troupe.worker.results.ResultSink;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every job and record: publish its one result (or dead letter), then tell the consumer
 * thread that the offset is finished (with a transactional sink, the commit of the outcome did), and
 * release the repeats that waited for it.
 */
final class Completion {

    private static final Logger log = LoggerFactory.getLogger(Completion.class);

    private final JobLifecycle lifecycle;
    private final ResultSink publisher;
    private final ConsumerCommands completions;
    private final RecentJobIds<DeliveredRecord> recent;
    private final WorkerMetrics metrics;
    private final Controls controls;
    /** Named in every result, so that {@code troupe status} says which worker ran a job. */
    private final String worker;

    Completion(JobLifecycle lifecycle, ResultSink publisher, ConsumerCommands completions, RecentJobIds<DeliveredRecord> recent,
               WorkerMetrics metrics, Controls controls, String worker) {
        this.worker = worker;
        this.controls = controls;
        this.lifecycle = lifecycle;
        this.publisher = publisher;
        this.completions = completions;
        this.recent = recent;
        this.metrics = metrics;
    }

    /**
     * The job ends with {@code result}: Publishing, then Done once Kafka has the result and the journal
     * its outcome (in the result's transaction, or written after it).
     */
    void finish(JobSnapshot job, JobResult ended) {
        JobResult result = cancelSaid(job, ended.publishedBy(worker));
        JobSnapshot publishing = job.to(new JobState.Publishing(result));
        lifecycle.move(job, publishing);
        JobSnapshot done = publishing.to(new JobState.Done(result));
        publisher.publish(job.record(), result, publisher.transactional() ? lifecycle.outcome(done) : null)
                // Completions are queued in the same task as the move to Done: a hand-back released by it is
                // queued after them (ActiveJobs defers it), so its commit covers this offset.
                .compose(published -> lifecycle.move(publishing, done).recover(e -> {
                    // Its record stays uncommitted: the next owner finds the generation in the journal and publishes again.
                    log.warn("result of {} published, but its outcome not journaled: {}", job.jobId(), e.toString());
                    return Future.failedFuture(e);
                }), unpublished -> {
                    // The worker stopped, or the partition moved on: its record is uncommitted, the next owner ends the job.
                    log.warn("result of {} not published: {}", job.jobId(), unpublished.toString());
                    if (lifecycle.isCurrent(publishing)) {
                        lifecycle.move(publishing, publishing.to(new JobState.Abandoned()));
                    }
                    return Future.failedFuture(unpublished);
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        return;
                    }
                    metrics.finished(result);
                    finished(job.record(), job.jobId());
                });
    }

    /**
     * A job Givon accepted cannot be cancelled (Givon documents no cancel): it was followed to its end, and
     * its result says that a cancel came meanwhile, so that nobody takes its cost for a mistake.
     */
    private JobResult cancelSaid(JobSnapshot job, JobResult result) {
        if (job.submittedAt() == null || result.status() == JobStatus.CANCELLED) {
            return result;
        }
        ControlCommand cancel = controls.cancelOf(job.job().batchId(), job.job().jobId(), job.record().timestamp());
        return cancel == null ? result : result.withCancelRequested(JobResult.CancelRequest.of(cancel));
    }

    /** A result for a record that never became a job (rejected before admission). */
    void publishWithoutJob(JobRecord record, String jobId, JobResult result) {
        publisher.publish(record, result.publishedBy(worker), null).onComplete(ar -> {
            if (ar.failed()) {
                log.warn("result of {} not published: {}", jobId, ar.cause().toString());
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
                log.warn("{} not dead-lettered: {}", record.coordinates(), ar.cause().toString());
                return;
            }
            if (!publisher.transactional()) {
                completions.complete(record.partition(), record.offset());
            }
        });
    }

    /** A record that needs nothing more (a repeat of a finished job). */
    void skip(JobRecord record) {
        completions.complete(record.partition(), record.offset());
    }

    private void finished(JobRecord record, String jobId) {
        List<DeliveredRecord> repeats = recent.finished(jobId);
        // A job resumed from the journal has no record of its own left to finish.
        if (!publisher.transactional() && record.hasOffset()) {
            completions.complete(record.partition(), record.offset());
        }
        for (DeliveredRecord repeat : repeats) {
            completions.complete(repeat.record().partition(), repeat.record().offset());
        }
    }
}
