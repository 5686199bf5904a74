package dev.troupe.worker.runner;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import dev.troupe.model.Violation;
import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import dev.troupe.worker.ops.WorkerMetrics;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From record to job: decode (on the consumer thread), then on the event loop, in small slices,
 * dead-letter what is not a job, reject what is invalid, let a repeat of a job wait for it or be
 * answered at once (from memory, or from the journal), and begin the rest at the budget gate, with
 * what the journal said of them.
 */
final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);
    private static final int ADMISSION_SLICE = 32;

    private final Context context;
    private final JobCodec codec;
    private final ModelCatalog catalog;
    private final JobLifecycle lifecycle;
    private final BudgetGate budget;
    private final Completion completion;
    private final RecentJobIds<DeliveredRecord> recent;
    private final RecoveredJobs recovered;
    private final WorkerMetrics metrics;
    private final ConcurrencyLimiter limiter;
    private final Clock clock;
    /** Delivered, decoded, not yet admitted: a revocation drops its partitions' records from here. */
    private final ArrayDeque<DeliveredRecord> pending = new ArrayDeque<>();
    private boolean sliceScheduled;

    Admission(Context context, JobCodec codec, ModelCatalog catalog, JobLifecycle lifecycle, BudgetGate budget,
              Completion completion, RecentJobIds<DeliveredRecord> recent, RecoveredJobs recovered, WorkerMetrics metrics,
              ConcurrencyLimiter limiter, Clock clock) {
        this.context = context;
        this.codec = codec;
        this.catalog = catalog;
        this.lifecycle = lifecycle;
        this.budget = budget;
        this.completion = completion;
        this.recent = recent;
        this.recovered = recovered;
        this.metrics = metrics;
        this.limiter = limiter;
        this.clock = clock;
    }

    /**
     * Whatever decoding one record throws becomes that record's dead letter: the consumer thread must
     * never be stopped by a record. (JobCodec.decode does not throw; this is the second line.) Any thread.
     */
    DeliveredRecord decode(JobRecord record) {
        try {
            return new DeliveredRecord(record, codec.decode(record.value()));
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("decoding {} failed; it goes to the dead-letter topic", record.coordinates(), e);
            return new DeliveredRecord(record, new DecodeResult.Unreadable("decoding failed: " + e.getClass().getName()));
        }
    }

    /** Queues decoded records for admission; on the runner's context. */
    void admit(Collection<DeliveredRecord> delivered) {
        pending.addAll(delivered);
        admitSlice();
    }

    /** Forgets the records not admitted yet of revoked partitions: they are the next owner's. */
    void drop(Set<TopicPartition> revoked) {
        pending.removeIf(delivered -> revoked.contains(delivered.record().partition()));
    }

    private void admitSlice() {
        for (int i = 0; i < ADMISSION_SLICE && !pending.isEmpty(); i++) {
            admitOne(pending.pollFirst());
        }
        if (!pending.isEmpty() && !sliceScheduled) {
            sliceScheduled = true;
            context.runOnContext(v -> {
                sliceScheduled = false;
                admitSlice();
            });
        }
    }

    private void admitOne(DeliveredRecord delivered) {
        JobRecord record = delivered.record();
        DecodeResult decoded = delivered.decoded();
        if (decoded instanceof DecodeResult.Unreadable unreadable) {
            completion.deadLetter(record, "UNREADABLE_RECORD", unreadable.reason());
        } else if (decoded instanceof DecodeResult.Invalid invalid) {
            if (invalid.jobId() == null) {
                completion.deadLetter(record, "INVALID_JOB", summary(invalid));
            } else if (firstOfItsJob(MotionJob.runKey(invalid.jobId(), invalid.run()), delivered)) {
                reject(record.withoutPayload(), invalid);
            }
        } else if (decoded instanceof DecodeResult.Decoded ok) {
            String jobId = ok.job().runKey();
            if (recovered.finished(record.partition(), jobId)) {
                // The journal has its outcome: its result is published already, it is not run (or paid) again.
                metrics.duplicate();
                completion.skip(record);
            } else if (firstOfItsJob(jobId, delivered)) {
                begin(record, ok.job(), recovered.take(record.partition(), jobId));
            }
        }
    }

    /**
     * Whether this record is the one to run its job. A repeat is not run (or paid) again: when the job
     * already has its result the record is finished at once; while the job is in flight, the record
     * waits for it, so its offset is not committed before the job has a result.
     */
    private boolean firstOfItsJob(String jobId, DeliveredRecord delivered) {
        RecentJobIds.Seen seen = recent.admit(jobId);
        if (seen == RecentJobIds.Seen.NEW) {
            return true;
        }
        metrics.duplicate();
        if (seen == RecentJobIds.Seen.IN_FLIGHT) {
            recent.await(jobId, delivered.withoutPayload());
        } else {
            completion.skip(delivered.record());
        }
        return false;
    }

    private void reject(JobRecord record, DecodeResult.Invalid invalid) {
        Instant now = clock.instant();
        JobResult rejected = new JobResult(invalid.jobId(), null, null, JobStatus.REJECTED, null, null, Tokens.ZERO, 0,
                new JobResult.Error("INVALID_JOB", invalid.violations().size() + " invalid field(s): " + summary(invalid), false,
                        invalid.violations()),
                new JobResult.Timings(record.timestamp(), now, null, now), Map.of(), invalid.run());
        completion.publishWithoutJob(record, MotionJob.runKey(invalid.jobId(), invalid.run()), rejected);
    }

    private void begin(JobRecord record, MotionJob job, JournalEntry takenOver) {
        Tokens cost = catalog.find(job.model()).orElseThrow().cost(job.input());
        JobSnapshot admitted = JobSnapshot.admitted(record, job, cost, clock.instant(), takenOver);
        lifecycle.begin(admitted);
        budget.reserve(admitted);
    }

    /**
     * Resumes the jobs of a restored partition that only its journal holds (their records were
     * committed): those under way go on from where the journal says, parked ones wait in parking.
     * A jobId this worker already knows is left alone (its own run answers it). Returns how many resumed.
     */
    int fromJournal(JournalRestore restore, long assignment) {
        int resumed = 0;
        Instant now = clock.instant();
        for (JournalEntry entry : restore.entries().values()) {
            if (entry.job() != null && !(entry instanceof JournalEntry.Finished) && known(entry.jobId()) == RecentJobIds.Seen.NEW) {
                Tokens cost = catalog.find(entry.job().model()).orElseThrow().cost(entry.job().input());
                JobSnapshot admitted = JobSnapshot.resumed(restore.partition(), assignment, entry.job(), entry.enqueuedAt(), cost, now,
                        entry);
                lifecycle.begin(admitted);
                if (entry instanceof JournalEntry.Accepted) {
                    limiter.expectRunning(now); // it runs at Givon from now, not once its budget answers
                }
                budget.reserve(admitted);
                resumed++;
            }
        }
        for (JournalRestore.Parked parked : restore.parked()) {
            if (known(parked.jobId()) == RecentJobIds.Seen.NEW) {
                budget.parkRestored(ParkedJob.shelved(parked.jobId(), parked.tenant(), parked.batchId(),
                        parked.enqueuedAt() == null ? now : parked.enqueuedAt(), parked.cost(), restore.partition(), assignment,
                        parked.offset()), now);
                resumed++;
            }
        }
        return resumed;
    }

    private RecentJobIds.Seen known(String jobId) {
        RecentJobIds.Seen seen = recent.admit(jobId);
        if (seen != RecentJobIds.Seen.NEW) {
            log.info("job {} is journaled as under way or parked, and known to this worker already: its own run answers it", jobId);
        }
        return seen;
    }

    private static String summary(DecodeResult.Invalid invalid) {
        return invalid.violations().stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
