package dev.troupe.worker.runner;

import dev.troupe.givon.GenerationStatus;
import dev.troupe.givon.GivonClient;
import dev.troupe.givon.GivonError;
import dev.troupe.givon.GivonException;
import dev.troupe.givon.Submission;
import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import dev.troupe.model.Violation;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.budget.ReserveOutcome;
import dev.troupe.worker.budget.TokenBudget;
import dev.troupe.worker.consumer.CompletionQueue;
import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.consumer.JobSink;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import dev.troupe.worker.ops.WorkerMetrics;
import dev.troupe.worker.results.ResultPublisher;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each job from record to result on one Vert.x event-loop context: decode and validate,
 * dedupe, reserve budget, take a concurrency slot, submit, follow, publish exactly one result, then
 * hand the offset back to the consumer thread. Everything here runs on {@link #context}; nothing
 * blocks.
 */
public final class JobRunner implements JobSink {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int ADMISSION_SLICE = 32;
    private static final int SUBMIT_SLICE = 16;

    /** Tunables; validated by the worker configuration. */
    public record Settings(RetryPolicy retry, Duration followTimeout, int dedupeWindow, Duration outOfTokensPause) {}

    private final Vertx vertx;
    private final Context context;
    private final JobCodec codec;
    private final ModelCatalog catalog;
    private final GivonClient givon;
    private final TokenBudget budget;
    private final ConcurrencyLimiter limiter;
    private final ResultPublisher publisher;
    private final CompletionQueue completions;
    private final WorkerMetrics metrics;
    private final Settings settings;
    private final Clock clock;

    private final RecentJobIds recent;
    private final ArrayDeque<JobExecution> awaitingSlot = new ArrayDeque<>();
    private final TenantParking parking;
    private final ActiveJobs active = new ActiveJobs();
    private long pumpTimer = -1;
    /** Delivered, decoded, not yet admitted: a revocation drops its partitions' records from here. */
    private final ArrayDeque<Admission> pendingAdmissions = new ArrayDeque<>();
    private boolean admissionScheduled;
    private boolean pumpScheduled;
    private Instant outOfTokensUntil = Instant.EPOCH;

    public JobRunner(Vertx vertx, Context context, JobCodec codec, ModelCatalog catalog, GivonClient givon,
                     TokenBudget budget, ConcurrencyLimiter limiter, ResultPublisher publisher,
                     CompletionQueue completions, WorkerMetrics metrics, Settings settings, Clock clock) {
        this.vertx = vertx;
        this.context = context;
        this.codec = codec;
        this.catalog = catalog;
        this.givon = givon;
        this.budget = budget;
        this.limiter = limiter;
        this.publisher = publisher;
        this.completions = completions;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.recent = new RecentJobIds(settings.dedupeWindow());
        this.parking = new TenantParking(vertx, this::reserve, budget::budgetKey);
    }

    // ---- hand-offs from the consumer thread -------------------------------------------------

    /**
     * Decodes and validates on the calling (consumer) thread, which is otherwise idle, then admits on
     * the event loop in small slices so that a full poll never holds the loop for long.
     */
    @Override
    public void deliver(List<JobRecord> records) {
        List<Admission> decoded = new ArrayList<>(records.size());
        for (JobRecord record : records) {
            decoded.add(new Admission(record, codec.decode(record.value())));
        }
        context.runOnContext(v -> {
            pendingAdmissions.addAll(decoded);
            admitSlice();
        });
    }

    private void admitSlice() {
        for (int i = 0; i < ADMISSION_SLICE && !pendingAdmissions.isEmpty(); i++) {
            admit(pendingAdmissions.pollFirst());
        }
        if (!pendingAdmissions.isEmpty() && !admissionScheduled) {
            admissionScheduled = true;
            context.runOnContext(v -> {
                admissionScheduled = false;
                admitSlice();
            });
        }
    }

    private record Admission(JobRecord record, DecodeResult decoded) {}

    @Override
    public CompletableFuture<Void> revoke(Collection<TopicPartition> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> handBack(partitions, done));
        return done;
    }

    // ---- admission ---------------------------------------------------------------------------

    private void admit(Admission admission) {
        JobRecord record = admission.record();
        DecodeResult decoded = admission.decoded();
        if (decoded instanceof DecodeResult.Unreadable unreadable) {
            deadLetter(record, "UNREADABLE_RECORD", unreadable.reason());
        } else if (decoded instanceof DecodeResult.Invalid invalid) {
            rejectInvalid(record, invalid);
        } else if (decoded instanceof DecodeResult.Decoded ok) {
            admitValid(record, ok.job());
        }
    }

    private void rejectInvalid(JobRecord record, DecodeResult.Invalid invalid) {
        String summary = invalid.violations().stream().map(Violation::toString).collect(Collectors.joining("; "));
        if (invalid.jobId() == null) {
            deadLetter(record, "INVALID_JOB", summary);
            return;
        }
        if (recent.admit(invalid.jobId()) != RecentJobIds.Seen.NEW) {
            metrics.duplicate();
            completions.complete(record.partition(), record.offset());
            return;
        }
        Instant now = clock.instant();
        JobResult rejected = new JobResult(invalid.jobId(), null, null, JobStatus.REJECTED, null, null, Tokens.ZERO, 0,
                new JobResult.Error("INVALID_JOB", invalid.violations().size() + " invalid field(s): " + summary, false,
                        invalid.violations()),
                new JobResult.Timings(record.timestamp(), now, null, now), Map.of());
        publishThenComplete(record, invalid.jobId(), rejected, null);
    }

    private void admitValid(JobRecord record, MotionJob job) {
        if (recent.admit(job.jobId()) != RecentJobIds.Seen.NEW) {
            // Already in flight or finished here: its one result is (being) published; do not pay twice.
            metrics.duplicate();
            completions.complete(record.partition(), record.offset());
            return;
        }
        Tokens cost = catalog.find(job.model()).orElseThrow().cost(job.input());
        JobExecution exec = new JobExecution(record, job, cost, clock.instant());
        active.add(exec);
        reserve(exec);
    }

    /** Admitted → AwaitingSlot (reserved), Parked (WAIT), or a REJECTED/EXPIRED result. */
    private void reserve(JobExecution exec) {
        if (!exec.is(JobState.Admitted.class)) {
            return; // abandoned while parked
        }
        Instant now = clock.instant();
        if (expired(exec, now)) {
            return;
        }
        ReserveOutcome outcome = budget.tryReserve(exec.job.tenant(), exec.estimatedCost, now);
        if (outcome instanceof ReserveOutcome.Reserved reserved) {
            exec.reservation = reserved.reservation();
            exec.moveTo(new JobState.AwaitingSlot());
            awaitingSlot.addLast(exec);
            pump();
        } else if (outcome instanceof ReserveOutcome.Exhausted exhausted) {
            if (budget.policy(exec.job.tenant()) == ExhaustionPolicy.WAIT) {
                exec.moveTo(new JobState.Parked(exhausted.resumesAt()));
                parking.park(exec, exhausted.resumesAt(), now);
            } else {
                finish(exec, exec.result(JobStatus.REJECTED, Tokens.ZERO, null, JobResult.Error.of("BUDGET_EXHAUSTED",
                        "tenant '" + tenantName(exec) + "' has " + exhausted.remaining() + " tokens left in this window; the job needs "
                                + exec.estimatedCost + "; the window rolls at " + exhausted.resumesAt(), true), now));
            }
        } else if (outcome instanceof ReserveOutcome.TooLarge tooLarge) {
            finish(exec, exec.result(JobStatus.REJECTED, Tokens.ZERO, null, JobResult.Error.of("COST_EXCEEDS_BUDGET",
                    "the job costs " + exec.estimatedCost + " tokens, more than tenant '" + tenantName(exec)
                            + "' may spend in a whole window (" + tooLarge.limit() + ")", false), now));
        }
    }

    private boolean expired(JobExecution exec, Instant now) {
        Instant notAfter = exec.job.notAfter();
        if (notAfter == null || !now.isAfter(notAfter)) {
            return false;
        }
        releaseBudget(exec);
        finish(exec, exec.result(JobStatus.EXPIRED, Tokens.ZERO, null, JobResult.Error.of("DEADLINE_PASSED",
                "notAfter " + notAfter + " passed before the job could be submitted", false), now));
        return true;
    }

    // ---- dispatch ----------------------------------------------------------------------------

    /**
     * Starts as many waiting jobs as the limiter allows, a slice per event-loop task so that answers
     * already in flight are not held up; re-arms itself when a Retry-After pause ends.
     */
    private void pump() {
        if (pumpScheduled) {
            return;
        }
        int started = 0;
        while (!awaitingSlot.isEmpty()) {
            if (started++ == SUBMIT_SLICE) {
                pumpScheduled = true;
                context.runOnContext(v -> {
                    pumpScheduled = false;
                    pump();
                });
                return;
            }
            Instant now = clock.instant();
            var permit = now.isBefore(outOfTokensUntil) ? Optional.<ConcurrencyLimiter.Permit>empty() : limiter.tryAcquire(now);
            if (permit.isEmpty()) {
                Instant until = latest(limiter.pausedUntil(), outOfTokensUntil);
                if (until.isAfter(now) && pumpTimer < 0) {
                    pumpTimer = vertx.setTimer(Math.max(1, Duration.between(now, until).toMillis()), id -> {
                        pumpTimer = -1;
                        pump();
                    });
                }
                return;
            }
            JobExecution exec = awaitingSlot.pollFirst();
            if (expired(exec, now)) {
                permit.get().release();
                continue;
            }
            submit(exec, permit.get());
        }
    }

    private void submit(JobExecution exec, ConcurrencyLimiter.Permit permit) {
        exec.attempts++;
        exec.moveTo(new JobState.Submitting(exec.attempts));
        givon.submit(exec.job).onComplete(ar -> {
            if (ar.succeeded()) {
                accepted(exec, permit, ar.result());
            } else {
                submitFailed(exec, permit, ar.cause());
            }
        });
    }

    private void accepted(JobExecution exec, ConcurrencyLimiter.Permit permit, Submission submission) {
        metrics.givonCall("2xx");
        limiter.onSuccess(permit);
        exec.generationId = submission.generationId();
        exec.submittedAt = clock.instant();
        exec.moveTo(new JobState.Following(submission.generationId()));
        givon.follow(submission.generationId(), exec.submittedAt.plus(settings.followTimeout())).onComplete(ar -> {
            permit.release();
            Instant now = clock.instant();
            if (ar.succeeded()) {
                ended(exec, ar.result(), now);
            } else {
                // Givon holds (and may charge) the generation: account the full estimate, never less.
                Tokens charged = settle(exec, null);
                GivonError error = GivonException.errorOf(ar.cause());
                String code = error instanceof GivonError.DeadlineExceeded ? "FOLLOW_DEADLINE_EXCEEDED" : "FOLLOW_FAILED";
                finish(exec, exec.result(JobStatus.FAILED, charged, null,
                        JobResult.Error.of(code, GivonFailures.describe(error, ar.cause()) + " (generation " + exec.generationId + ")", true), now));
            }
            pump();
        });
    }

    private void ended(JobExecution exec, GenerationStatus status, Instant now) {
        Tokens charged = settle(exec, status.reportedCost().orElse(null));
        switch (status.phase()) {
            case SUCCEEDED -> finish(exec, exec.result(JobStatus.SUCCEEDED, charged, status.videoUrl(), null, now));
            case FAILED -> finish(exec, exec.result(JobStatus.FAILED, charged, null, JobResult.Error.of("GENERATION_FAILED",
                    status.failureReason() == null ? "Givon reported status " + status.rawStatus() : status.failureReason(), false), now));
            case RUNNING -> throw new IllegalStateException("follow completed with a running generation " + status);
        }
    }

    private void submitFailed(JobExecution exec, ConcurrencyLimiter.Permit permit, Throwable cause) {
        permit.release();
        Instant now = clock.instant();
        GivonError error = GivonException.errorOf(cause);
        metrics.givonCall(GivonFailures.statusClass(error));
        if (error instanceof GivonError.RateLimited limited) {
            // Not the job's fault and not an attempt: wait for the limiter (which honours Retry-After).
            exec.attempts--;
            limiter.onRateLimited(limited.retryAfter(), now);
            exec.moveTo(new JobState.AwaitingSlot());
            awaitingSlot.addFirst(exec);
        } else if (error instanceof GivonError.OutOfTokens) {
            // The account is empty: failing every queued job would only burn them. Hold all submissions
            // (jobs stay uncommitted in Kafka) and try again after a pause; an operator tops up meanwhile.
            exec.attempts--;
            if (!now.isBefore(outOfTokensUntil)) {
                log.error("Givon says the account is out of tokens ({}); holding all submissions for {}",
                        GivonFailures.describe(error, cause), settings.outOfTokensPause());
            }
            outOfTokensUntil = now.plus(settings.outOfTokensPause());
            exec.moveTo(new JobState.AwaitingSlot());
            awaitingSlot.addFirst(exec);
        } else if (error instanceof GivonError.Retryable && exec.attempts < settings.retry().maxAttempts()) {
            Duration wait = settings.retry().backoffAfter(exec.attempts, ThreadLocalRandom.current()::nextDouble);
            exec.moveTo(new JobState.BackingOff(exec.attempts, now.plus(wait)));
            exec.timerId = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
                exec.timerId = -1;
                if (exec.is(JobState.BackingOff.class)) {
                    exec.moveTo(new JobState.AwaitingSlot());
                    awaitingSlot.addFirst(exec);
                    pump();
                }
            });
        } else if (error instanceof GivonError.Uncertain) {
            // Givon may have created (and charged) it: keep the full reservation as spent, never resubmit blindly.
            Tokens charged = settle(exec, null);
            finish(exec, exec.result(JobStatus.FAILED, charged, null, JobResult.Error.of("SUBMIT_UNCERTAIN",
                    "the submission was sent but no answer came (" + GivonFailures.describe(error, cause)
                            + "); Givon may hold a generation for Idempotency-Key " + exec.job.jobId()
                            + ", so it was not resubmitted", true), now));
        } else {
            releaseBudget(exec);
            finish(exec, exec.result(JobStatus.FAILED, Tokens.ZERO, null, GivonFailures.submitFailure(error, cause, exec.attempts), now));
        }
        pump();
    }

    // ---- completion --------------------------------------------------------------------------

    private void finish(JobExecution exec, JobResult result) {
        exec.moveTo(new JobState.Publishing(result));
        publishThenComplete(exec.record, exec.job.jobId(), result, exec);
    }

    /** Publishes until Kafka acknowledges (a result is never dropped), then releases the offset. */
    private void publishThenComplete(JobRecord record, String jobId, JobResult result, JobExecution exec) {
        publisher.publish(result).onComplete(ar -> {
            if (ar.failed() && publisher.closed()) {
                // The worker stopped with this job unfinished: its record is uncommitted, the next owner runs it.
                log.warn("result of {} not published: the worker stopped", jobId);
                return;
            }
            if (ar.failed()) {
                log.warn("publishing the result of {} failed, retrying: {}", jobId, ar.cause().toString());
                vertx.setTimer(500, id -> publishThenComplete(record, jobId, result, exec));
                return;
            }
            recent.finished(jobId);
            metrics.finished(result);
            // The completion goes first: removing the job may release a revocation, whose commit must
            // already see this offset as finished.
            completions.complete(record.partition(), record.offset());
            if (exec != null) {
                exec.moveTo(new JobState.Done());
                active.remove(exec);
            }
        });
    }

    private void deadLetter(JobRecord record, String code, String message) {
        metrics.deadLettered();
        publisher.deadLetter(record, code, message).onComplete(ar -> {
            if (ar.failed() && publisher.closed()) {
                log.warn("{} not dead-lettered: the worker stopped", record.coordinates());
                return;
            }
            if (ar.failed()) {
                log.warn("dead-lettering {} failed, retrying: {}", record.coordinates(), ar.cause().toString());
                vertx.setTimer(500, id -> deadLetter(record, code, message));
                return;
            }
            completions.complete(record.partition(), record.offset());
        });
    }

    private Tokens settle(JobExecution exec, Tokens reported) {
        Tokens charged = reported != null ? reported : exec.estimatedCost;
        budget.settle(exec.reservation, charged);
        exec.reservation = null;
        if (exec.estimatedCost.exceeds(charged)) {
            parking.capacityFreed(exec.job.tenant());
        }
        return charged;
    }

    private void releaseBudget(JobExecution exec) {
        if (exec.reservation != null) {
            budget.release(exec.reservation);
            exec.reservation = null;
            parking.capacityFreed(exec.job.tenant());
        }
    }

    // ---- revocation and shutdown -------------------------------------------------------------

    private void handBack(Collection<TopicPartition> partitions, CompletableFuture<Void> done) {
        // Records delivered but not admitted yet are the next owner's, like unsubmitted jobs.
        Set<TopicPartition> revoked = Set.copyOf(partitions);
        pendingAdmissions.removeIf(admission -> revoked.contains(admission.record().partition()));
        // One pass over each queue here, not one search per abandoned job.
        awaitingSlot.removeIf(exec -> revoked.contains(exec.record.partition()));
        parking.removeIf(exec -> revoked.contains(exec.record.partition()));
        active.handBack(revoked, this::abandon, done);
    }

    private void abandon(JobExecution exec) {
        if (exec.timerId >= 0) {
            vertx.cancelTimer(exec.timerId);
        }
        releaseBudget(exec);
        exec.moveTo(new JobState.Abandoned());
        recent.forget(exec.job.jobId());
        active.remove(exec);
        metrics.abandoned();
    }

    // ---- small helpers -----------------------------------------------------------------------

    private static Instant latest(Instant a, Instant b) {
        return a == null || a.isBefore(b) ? b : a;
    }

    private static String tenantName(JobExecution exec) {
        return exec.job.tenant() == null ? "(default)" : exec.job.tenant();
    }
}
