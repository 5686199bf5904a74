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
import dev.troupe.worker.WorkerConfig;
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

    /**
     * Tunables; validated by the worker configuration.
     *
     * @param resubmitUncertain whether a submission whose outcome is unknown is sent again with the same
     *                          Idempotency-Key (givon.idempotency: trusted); else it ends SUBMIT_UNCERTAIN
     */
    public record Settings(RetryPolicy retry, Duration followTimeout, int dedupeWindow, Duration outOfTokensPause,
                           WorkerConfig.Circuit circuit, boolean resubmitUncertain) {}

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

    private final RecentJobIds<Admission> recent;
    private final ArrayDeque<JobExecution> awaitingSlot = new ArrayDeque<>();
    private final TenantParking parking;
    private final ActiveJobs active = new ActiveJobs();
    private long pumpTimer = -1;
    /** Delivered, decoded, not yet admitted: a revocation drops its partitions' records from here. */
    private final ArrayDeque<Admission> pendingAdmissions = new ArrayDeque<>();
    private boolean admissionScheduled;
    private boolean pumpScheduled;
    private final GivonGate gate;

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
        this.recent = new RecentJobIds<>(settings.dedupeWindow());
        this.parking = new TenantParking(vertx, this::reserve, budget::budgetKey);
        this.gate = new GivonGate(vertx, givon::checkAccess, settings.circuit(), settings.outOfTokensPause(), clock,
                () -> context.runOnContext(v -> pump()));
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
            decoded.add(new Admission(record, decode(record)));
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

    /**
     * Whatever decoding one record throws becomes that record's dead letter: the consumer thread must
     * never be stopped by a record. (JobCodec.decode does not throw; this is the second line.)
     */
    private DecodeResult decode(JobRecord record) {
        try {
            return codec.decode(record.value());
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("decoding {} failed; it goes to the dead-letter topic", record.coordinates(), e);
            return new DecodeResult.Unreadable("decoding failed: " + e.getClass().getName());
        }
    }

    private record Admission(JobRecord record, DecodeResult decoded) {}

    @Override
    public int parkedRecords() {
        return parking.parkedRecords();
    }

    @Override
    public long parkedBytes() {
        return parking.parkedBytes();
    }

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
            if (invalid.jobId() == null) {
                deadLetter(record, "INVALID_JOB", summary(invalid));
            } else if (firstOfItsJob(invalid.jobId(), admission)) {
                rejectInvalid(record, invalid);
            }
        } else if (decoded instanceof DecodeResult.Decoded ok) {
            if (firstOfItsJob(ok.job().jobId(), admission)) {
                admitValid(record, ok.job());
            }
        }
    }

    /**
     * Whether this record is the one to run its job. A repeat is not run (or paid) again: when the job
     * already has its result the record is finished at once; while the job is in flight, the record
     * waits for it, so its offset is not committed before the job has a result.
     */
    private boolean firstOfItsJob(String jobId, Admission admission) {
        RecentJobIds.Seen seen = recent.admit(jobId);
        if (seen == RecentJobIds.Seen.NEW) {
            return true;
        }
        metrics.duplicate();
        if (seen == RecentJobIds.Seen.IN_FLIGHT) {
            recent.await(jobId, new Admission(admission.record().withoutPayload(), admission.decoded()));
        } else {
            completions.complete(admission.record().partition(), admission.record().offset());
        }
        return false;
    }

    private static String summary(DecodeResult.Invalid invalid) {
        return invalid.violations().stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    private void rejectInvalid(JobRecord record, DecodeResult.Invalid invalid) {
        Instant now = clock.instant();
        JobResult rejected = new JobResult(invalid.jobId(), null, null, JobStatus.REJECTED, null, null, Tokens.ZERO, 0,
                new JobResult.Error("INVALID_JOB", invalid.violations().size() + " invalid field(s): " + summary(invalid), false,
                        invalid.violations()),
                new JobResult.Timings(record.timestamp(), now, null, now), Map.of());
        publishThenComplete(record.withoutPayload(), invalid.jobId(), rejected, null);
    }

    private void admitValid(JobRecord record, MotionJob job) {
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
            var permit = gate.open(now) ? limiter.tryAcquire(now) : Optional.<ConcurrencyLimiter.Permit>empty();
            if (permit.isEmpty()) {
                // A held gate re-arms the pump itself when it reopens; its own pause is a time to wait for.
                Instant until = latest(limiter.pausedUntil(), gate.heldUntil());
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
        givon.submit(exec.job).onComplete(ar -> guarded(exec, permit, () -> {
            if (ar.succeeded()) {
                accepted(exec, permit, ar.result());
            } else {
                submitFailed(exec, permit, ar.cause());
            }
        }));
    }

    /**
     * Runs a step of a job's exchange with Givon; if it throws (a bug, or an answer nothing foresaw),
     * the job still ends with a result rather than holding its slot, budget and offset for ever.
     */
    private void guarded(JobExecution exec, ConcurrencyLimiter.Permit permit, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            permit.release();
            log.error("job {} failed inside the worker in state {}; it ends FAILED", exec.job.jobId(), exec.state(), e);
            if (exec.is(JobState.Publishing.class) || exec.state().terminal()) {
                return;
            }
            // Givon may hold a generation once a POST went out: account the estimate, never less.
            Tokens charged = exec.is(JobState.Submitting.class) || exec.is(JobState.Following.class)
                    ? settle(exec, null) : Tokens.ZERO;
            releaseBudget(exec);
            finish(exec, exec.result(JobStatus.FAILED, charged, null, JobResult.Error.of("WORKER_ERROR",
                    "the worker failed while handling Givon's answer (" + e.getClass().getSimpleName() + ")"
                            + (exec.generationId == null ? "" : " for generation " + exec.generationId), true), clock.instant()));
            pump();
        }
    }

    private void accepted(JobExecution exec, ConcurrencyLimiter.Permit permit, Submission submission) {
        metrics.givonCall("2xx");
        gate.answered();
        limiter.onSuccess(permit);
        exec.generationId = submission.generationId();
        exec.submittedAt = clock.instant();
        exec.moveTo(new JobState.Following(submission.generationId()));
        givon.follow(submission.generationId(), exec.submittedAt.plus(settings.followTimeout())).onComplete(ar -> guarded(exec, permit, () -> {
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
        }));
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
        switch (error.kind()) {
            case RATE_LIMITED -> {
                // Not the job's fault and not an attempt: wait for the limiter (which honours Retry-After).
                gate.answered();
                limiter.onRateLimited(((GivonError.RateLimited) error).retryAfter(), now);
                waitForGivon(exec);
            }
            case OUT_OF_TOKENS -> {
                // The account is empty: failing every queued job would only burn them. Hold all submissions
                // (jobs stay uncommitted in Kafka) and try again after a pause; an operator tops up meanwhile.
                gate.outOfTokens(GivonFailures.describe(error, cause));
                waitForGivon(exec);
            }
            case UNAUTHORIZED -> {
                // A configuration error, not the job's: hold everything until a probe sees the key accepted.
                gate.keyRefused(GivonFailures.describe(error, cause));
                waitForGivon(exec);
            }
            case RETRYABLE -> {
                // Nothing was created. While Givon is away altogether jobs wait for it instead of burning attempts.
                if (gate.unavailable(error)) {
                    waitForGivon(exec);
                } else if (exec.attempts < settings.retry().maxAttempts()) {
                    backOff(exec, now);
                } else {
                    giveUp(exec, error, cause, now);
                }
            }
            case UNCERTAIN -> {
                boolean circuitOpen = gate.unavailable(error);
                if (settings.resubmitUncertain() && circuitOpen) {
                    waitForGivon(exec);
                } else if (settings.resubmitUncertain() && exec.attempts < settings.retry().maxAttempts()) {
                    // givon.idempotency: trusted: the same Idempotency-Key makes a second POST find the first.
                    backOff(exec, now);
                } else {
                    uncertain(exec, error, cause, now);
                }
            }
            case INVALID_REQUEST, NOT_FOUND, DEADLINE_EXCEEDED, UNEXPECTED_RESPONSE -> {
                gate.answered();
                giveUp(exec, error, cause, now);
            }
        }
        pump();
    }

    /** Back to the head of the queue without spending an attempt: Givon, not the job, is the problem. */
    private void waitForGivon(JobExecution exec) {
        exec.attempts--;
        exec.moveTo(new JobState.AwaitingSlot());
        awaitingSlot.addFirst(exec);
    }

    private void backOff(JobExecution exec, Instant now) {
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
    }

    /** Givon may have created (and charged) it: keep the full reservation as spent, never resubmit blindly. */
    private void uncertain(JobExecution exec, GivonError error, Throwable cause, Instant now) {
        Tokens charged = settle(exec, null);
        String resubmitted = exec.attempts > 1 ? " after " + exec.attempts + " submissions with that key" : "";
        finish(exec, exec.result(JobStatus.FAILED, charged, null, JobResult.Error.of("SUBMIT_UNCERTAIN",
                "the submission was sent and its answer does not prove that nothing was created (" + GivonFailures.describe(error, cause)
                        + "); Givon may hold a generation for Idempotency-Key " + exec.job.jobId() + resubmitted
                        + (settings.resubmitUncertain() ? "" : ", so it was not resubmitted (givon.idempotency: untrusted)"),
                true), now));
    }

    private void giveUp(JobExecution exec, GivonError error, Throwable cause, Instant now) {
        releaseBudget(exec);
        finish(exec, exec.result(JobStatus.FAILED, Tokens.ZERO, null, GivonFailures.submitFailure(error, cause, exec.attempts), now));
    }

    /**
     * Checks the API key once, without waiting: the outcome is logged, and a refused key holds
     * submissions. A job submitted before the answer is no risk: a 401 to it holds them just the same.
     */
    public void checkGivonAtStart() {
        context.runOnContext(v -> gate.checkAtStart());
    }

    /** Stops the gate's probes; the worker is closing. */
    public void close() {
        context.runOnContext(v -> gate.close());
    }

    /** False while Givon refuses the API key or the circuit is open. Any thread. */
    public boolean givonReady() {
        return gate.ready();
    }

    // ---- completion --------------------------------------------------------------------------

    private void finish(JobExecution exec, JobResult result) {
        exec.moveTo(new JobState.Publishing(result));
        publishThenComplete(exec.record, exec.job.jobId(), result, exec);
    }

    /** The publisher retries until Kafka acknowledges (a result is never dropped); then the offset is released. */
    private void publishThenComplete(JobRecord record, String jobId, JobResult result, JobExecution exec) {
        publisher.publish(result).onComplete(ar -> {
            if (ar.failed()) {
                // The worker stopped with this job unfinished: its record is uncommitted, the next owner runs it.
                log.warn("result of {} not published: the worker stopped", jobId);
                return;
            }
            List<Admission> repeats = recent.finished(jobId);
            metrics.finished(result);
            // The completion goes first: removing the job may release a revocation, whose commit must
            // already see this offset as finished.
            completions.complete(record.partition(), record.offset());
            for (Admission repeat : repeats) {
                completions.complete(repeat.record().partition(), repeat.record().offset());
            }
            if (exec != null) {
                exec.moveTo(new JobState.Done());
                active.remove(exec);
            }
        });
    }

    private void deadLetter(JobRecord record, String code, String message) {
        metrics.deadLettered();
        publisher.deadLetter(record, code, message).onComplete(ar -> {
            if (ar.failed()) {
                log.warn("{} not dead-lettered: the worker stopped", record.coordinates());
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
        active.handBack(revoked, exec -> abandon(exec, revoked), done);
        // Repeats of abandoned jobs queued by abandon() are admitted now, after the hand-back.
        admitSlice();
    }

    private void abandon(JobExecution exec, Set<TopicPartition> revoked) {
        if (exec.timerId >= 0) {
            vertx.cancelTimer(exec.timerId);
        }
        releaseBudget(exec);
        exec.moveTo(new JobState.Abandoned());
        List<Admission> repeats = recent.forget(exec.job.jobId());
        active.remove(exec);
        metrics.abandoned();
        // Repeats from partitions still owned are records of their own: the first of them runs the job.
        repeats.stream().filter(repeat -> !revoked.contains(repeat.record().partition()))
                .forEach(pendingAdmissions::addLast);
    }

    // ---- small helpers -----------------------------------------------------------------------

    private static Instant latest(Instant a, Instant b) {
        return a == null || a.isBefore(b) ? b : a;
    }

    private static String tenantName(JobExecution exec) {
        return exec.job.tenant() == null ? "(default)" : exec.job.tenant();
    }
}
