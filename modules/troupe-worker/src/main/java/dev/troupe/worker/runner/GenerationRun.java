package dev.troupe.worker.runner;

import dev.troupe.givon.AcceptedGeneration;
import dev.troupe.givon.GenerationStatus;
import dev.troupe.givon.GivonClient;
import dev.troupe.givon.GivonError;
import dev.troupe.givon.GivonException;
import dev.troupe.givon.PollObserver;
import dev.troupe.givon.Submission;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.Tokens;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a job at Givon, holding a concurrency slot: journal the intent, POST, journal the
 * generation, follow it to its end; or classify why it could not be submitted. The future tells
 * {@link Dispatch} what to do next, once the slot may be given back.
 */
final class GenerationRun {

    private static final Logger log = LoggerFactory.getLogger(GenerationRun.class);

    /** What becomes of the job after this attempt. */
    sealed interface Next {
        /** It ended (its result is on its way): nothing more to dispatch. */
        record Ended() implements Next {}

        /** Givon, not the job, is the problem: back to the head of the queue, no attempt spent. */
        record WaitForGivon(JobSnapshot job) implements Next {}

        /** A transient failure: queue it again after {@code delay}. */
        record RetryAfter(JobSnapshot job, Duration delay) implements Next {}
    }

    private static final Next ENDED = new Next.Ended();

    private final JobLifecycle lifecycle;
    private final GivonClient givon;
    private final GivonGate gate;
    private final ConcurrencyLimiter limiter;
    private final BudgetGate budget;
    private final Completion completion;
    private final JobRunner.Settings settings;
    private final Clock clock;
    private final HandBacks handBacks;

    GenerationRun(JobLifecycle lifecycle, GivonClient givon, GivonGate gate, ConcurrencyLimiter limiter, BudgetGate budget,
                  Completion completion, JobRunner.Settings settings, Clock clock,
                  HandBacks handBacks) {
        this.lifecycle = lifecycle;
        this.givon = givon;
        this.gate = gate;
        this.limiter = limiter;
        this.budget = budget;
        this.completion = completion;
        this.settings = settings;
        this.clock = clock;
        this.handBacks = handBacks;
    }

    /**
     * A job with a slot: a generation the journal says Givon accepted is followed; an intent the
     * journal holds without its answer is uncertain (resubmitted with the same key only when Givon is
     * trusted to honour it); anything else is submitted.
     */
    Future<Next> start(JobSnapshot awaiting, ConcurrencyLimiter.Permit permit) {
        if (awaiting.takenOver() instanceof JournalEntry.Accepted accepted) {
            JobSnapshot following = awaiting.acceptedAt(accepted.submittedAt() != null ? accepted.submittedAt() : clock.instant())
                    .to(new JobState.Following(accepted.generationId()));
            return guarded(awaiting.jobId(), () -> lifecycle.move(awaiting, following).transform(journaled -> follow(following)));
        }
        if (awaiting.takenOver() instanceof JournalEntry.Submitting intent && !settings.resubmitUncertain()) {
            return guarded(awaiting.jobId(), () -> {
                uncertain(awaiting, "the previous owner of this job's partition sent submission " + intent.attempt() + " at "
                        + intent.at() + " and stopped before Givon's answer reached the journal", clock.instant());
                return Future.succeededFuture(ENDED);
            });
        }
        return submit(awaiting, permit);
    }

    /** AwaitingSlot → Submitting (journaled) → POST → Following, or the next step after a failed POST. */
    private Future<Next> submit(JobSnapshot awaiting, ConcurrencyLimiter.Permit permit) {
        int attempt = awaiting.attempts() + 1;
        JobSnapshot submitting = awaiting.withAttempts(attempt).to(new JobState.Submitting(attempt));
        return guarded(submitting.jobId(), () -> lifecycle.move(awaiting, submitting).transform(journaled -> {
            if (journaled.failed()) {
                // No POST without its intent in the journal; the worker is stopping, the record is the next owner's.
                log.warn("job {} not submitted: the journal did not take its intent ({})", submitting.jobId(),
                        journaled.cause().toString());
                return Future.succeededFuture(ENDED);
            }
            return givon.submit(submitting.job()).transform(answer -> guarded(submitting.jobId(), () -> answer.succeeded()
                    ? accepted(submitting, permit, answer.result())
                    : Future.succeededFuture(submitFailed(submitting, permit, answer.cause()))));
        }));
    }

    private Future<Next> accepted(JobSnapshot submitting, ConcurrencyLimiter.Permit permit, Submission submission) {
        gate.answered();
        limiter.onSuccess(permit);
        JobSnapshot following = submitting.acceptedAt(clock.instant()).to(new JobState.Following(submission.generationId()));
        // Followed even if the journal write fails: Givon holds the generation; the intent already keeps a next owner from resubmitting.
        return lifecycle.move(submitting, following).transform(journaled -> {
            if (settings.journaled() && journaled.succeeded() && handBacks.includes(following.partition())) {
                handBacks.handOver(following); // its partition is being revoked: the journal names the generation to the next owner
                return Future.succeededFuture(ENDED);
            }
            return follow(following);
        });
    }

    /** Follows a generation Givon runs for the job until it ends, then finishes the job. */
    Future<Next> follow(JobSnapshot following) {
        String generationId = following.generationId();
        PollObserver whileOwned = new PollObserver() {
            @Override
            public boolean stopped() {
                return !lifecycle.isCurrent(following); // handed over: its next owner follows it
            }
        };
        // A generation taken over from the journal was accepted before this worker watched it: followed
        // on the model's learned start, but what its reads see would not tell how long the model takes.
        AcceptedGeneration generation = new AcceptedGeneration(generationId, following.job().model(), following.submittedAt(),
                !(following.takenOver() instanceof JournalEntry.Accepted));
        return givon.follow(generation, following.submittedAt().plus(settings.followTimeout()), whileOwned)
                .transform(ar -> guarded(following.jobId(), () -> {
                    if (!lifecycle.isCurrent(following)) {
                        return Future.succeededFuture(ENDED);
                    }
                    Instant now = clock.instant();
                    if (ar.succeeded()) {
                        ended(following, ar.result(), now);
                    } else {
                        // Givon holds (and may charge) the generation: account the full estimate, never less.
                        BudgetGate.Settled settled = budget.settle(following, null);
                        GivonError error = GivonException.errorOf(ar.cause());
                        String code = error instanceof GivonError.DeadlineExceeded ? "FOLLOW_DEADLINE_EXCEEDED" : "FOLLOW_FAILED";
                        completion.finish(settled.job(), following.result(JobStatus.FAILED, settled.charged(), null,
                                JobResult.Error.of(code, GivonFailures.describe(error, ar.cause()) + " (generation " + generationId + ")",
                                        true), now));
                    }
                    return Future.succeededFuture(ENDED);
                }));
    }

    private void ended(JobSnapshot following, GenerationStatus status, Instant now) {
        BudgetGate.Settled settled = budget.settle(following, status.reportedCost().orElse(null));
        Tokens charged = settled.charged();
        switch (status.phase()) {
            case SUCCEEDED -> completion.finish(settled.job(), following.result(JobStatus.SUCCEEDED, charged, status.videoUrl(), null, now));
            case FAILED -> completion.finish(settled.job(), following.result(JobStatus.FAILED, charged, null,
                    JobResult.Error.of("GENERATION_FAILED", status.failureReason() == null
                            ? "Givon reported status " + status.rawStatus() : status.failureReason(), false), now));
            case RUNNING -> throw new IllegalStateException("follow completed with a running generation " + status);
        }
    }

    private Next submitFailed(JobSnapshot submitting, ConcurrencyLimiter.Permit permit, Throwable cause) {
        Instant now = clock.instant();
        GivonError error = GivonException.errorOf(cause);
        int attempts = submitting.attempts();
        switch (error.kind()) {
            case RATE_LIMITED -> {
                // Not the job's fault and not an attempt: wait for the limiter (which honours Retry-After).
                gate.answered();
                limiter.onRateLimited(((GivonError.RateLimited) error).retryAfter(), now);
                return waitForGivon(submitting);
            }
            case OUT_OF_TOKENS -> {
                // The account is empty: failing every queued job would only burn them. Hold all submissions
                // (jobs stay uncommitted in Kafka) and try again after a pause; an operator tops up meanwhile.
                gate.outOfTokens(submitting.jobId(), GivonFailures.describe(error, cause));
                return waitForGivon(submitting);
            }
            case UNAUTHORIZED -> {
                // A configuration error, not the job's: hold everything until a probe sees the key accepted.
                gate.keyRefused(GivonFailures.describe(error, cause));
                return waitForGivon(submitting);
            }
            case RETRYABLE -> {
                // Nothing was created. While Givon is away altogether jobs wait for it instead of burning attempts.
                if (gate.unavailable(error)) {
                    return waitForGivon(submitting);
                } else if (attempts < settings.retry().maxAttempts()) {
                    return backOff(submitting, now, false, error);
                }
                return giveUp(submitting, error, cause, now);
            }
            case UNCERTAIN -> {
                boolean circuitOpen = gate.unavailable(error);
                if (settings.resubmitUncertain() && circuitOpen) {
                    return waitForGivon(submitting);
                } else if (settings.resubmitUncertain() && attempts < settings.retry().maxAttempts()) {
                    // givon.idempotency: trusted: the same Idempotency-Key makes a second POST find the first.
                    return backOff(submitting, now, true, error);
                }
                uncertain(submitting, GivonFailures.describe(error, cause), now);
                return ENDED;
            }
            case INVALID_REQUEST, NOT_FOUND, DEADLINE_EXCEEDED, UNEXPECTED_RESPONSE -> {
                gate.answered();
                return giveUp(submitting, error, cause, now);
            }
        }
        throw new IllegalStateException("unclassified Givon error " + error.kind());
    }

    private Next waitForGivon(JobSnapshot submitting) {
        JobSnapshot awaiting = submitting.withAttempts(submitting.attempts() - 1).to(new JobState.AwaitingSlot());
        lifecycle.move(submitting, awaiting);
        return new Next.WaitForGivon(awaiting);
    }

    private Next backOff(JobSnapshot submitting, Instant now, boolean givonMayHoldIt, GivonError error) {
        Duration wait = settings.retry().backoffAfter(submitting.attempts(), ThreadLocalRandom.current()::nextDouble);
        // The error's kind and status class, not its message: the reason goes on a topic others read.
        String reason = error.kind().name() + " " + GivonFailures.statusClass(error);
        JobSnapshot backingOff = submitting.to(new JobState.BackingOff(submitting.attempts(), now.plus(wait), givonMayHoldIt, reason));
        lifecycle.move(submitting, backingOff);
        return new Next.RetryAfter(backingOff, wait);
    }

    /**
     * Givon may have created (and charged) it: keep the full reservation as spent, never resubmit
     * blindly. {@code why} says what made it uncertain (an answer that proves nothing, or an intent
     * in the journal without its answer).
     */
    void uncertain(JobSnapshot job, String why, Instant now) {
        BudgetGate.Settled settled = budget.settle(job, null);
        String resubmitted = job.attempts() > 1 ? " after " + job.attempts() + " submissions with that key" : "";
        completion.finish(settled.job(), job.result(JobStatus.FAILED, settled.charged(), null, JobResult.Error.of("SUBMIT_UNCERTAIN",
                "the submission was sent and its answer does not prove that nothing was created (" + why
                        + "); Givon may hold a generation for Idempotency-Key " + job.jobId() + resubmitted
                        + (settings.resubmitUncertain() ? "" : ", so it was not resubmitted (givon.idempotency: untrusted)"),
                true), now));
    }

    private Next giveUp(JobSnapshot submitting, GivonError error, Throwable cause, Instant now) {
        completion.finish(budget.released(submitting),
                submitting.result(JobStatus.FAILED, Tokens.ZERO, null, GivonFailures.submitFailure(error, cause, submitting.attempts()), now));
        return ENDED;
    }

    /**
     * Runs a step of a job's exchange with Givon; if it throws or its future fails (a bug, or an
     * answer nothing foresaw), the job still ends with a result rather than holding its slot, budget
     * and offset for ever.
     */
    private Future<Next> guarded(String jobId, Supplier<Future<Next>> step) {
        Future<Next> running;
        try {
            running = step.get();
        } catch (RuntimeException e) {
            running = Future.failedFuture(e);
        }
        return running.recover(e -> {
            failedInside(jobId, e);
            return Future.succeededFuture(ENDED);
        });
    }

    private void failedInside(String jobId, Throwable e) {
        JobSnapshot job = lifecycle.jobs().current(jobId);
        log.error("job {} failed inside the worker in state {}; it ends FAILED", jobId, job == null ? "(gone)" : job.state(), e);
        if (job == null || job.is(JobState.Publishing.class) || job.state().terminal()) {
            return;
        }
        // Givon may hold a generation once a POST went out: account the estimate, never less.
        boolean maybeAtGivon = job.is(JobState.Submitting.class) || job.is(JobState.Following.class);
        BudgetGate.Settled settled = maybeAtGivon ? budget.settle(job, null) : new BudgetGate.Settled(budget.released(job), Tokens.ZERO);
        String generation = job.generationId();
        completion.finish(settled.job(), job.result(JobStatus.FAILED, settled.charged(), null, JobResult.Error.of("WORKER_ERROR",
                "the worker failed while handling Givon's answer (" + e.getClass().getSimpleName() + ")"
                        + (generation == null ? "" : " for generation " + generation), true), clock.instant()));
    }
}
