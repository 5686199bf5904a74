package dev.troupe.worker.runner;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.budget.ReserveOutcome;
import dev.troupe.worker.budget.TokenBudget;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A job's budget, from reservation to settlement: reserves before a job may take a slot, parks it
 * (policy wait) or rejects it (policy reject) when its tenant's window is spent, settles what Givon
 * charged, releases what it did not. Confined to the runner's event loop.
 */
final class BudgetGate {

    private final JobLifecycle lifecycle;
    private final TokenBudget budget;
    private final Completion completion;
    private final Clock clock;
    private final TenantParking parking;
    /** Where a job goes once its budget is reserved (the dispatch queue). */
    private Consumer<JobSnapshot> reserved = job -> {
        throw new IllegalStateException("no dispatch wired");
    };

    BudgetGate(Vertx vertx, JobLifecycle lifecycle, TokenBudget budget, Completion completion, Clock clock) {
        this.lifecycle = lifecycle;
        this.budget = budget;
        this.completion = completion;
        this.clock = clock;
        this.parking = new TenantParking(vertx, this::retryParked, budget::budgetKey);
    }

    void onReserved(Consumer<JobSnapshot> next) {
        this.reserved = next;
    }

    /** Admitted → AwaitingSlot (reserved, handed on), Parked (WAIT), or a REJECTED/EXPIRED result. */
    void reserve(JobSnapshot job) {
        Instant now = clock.instant();
        if (expired(job, now)) {
            return;
        }
        ReserveOutcome outcome = budget.tryReserve(job.tenant(), job.estimatedCost(), now);
        if (outcome instanceof ReserveOutcome.Reserved ok) {
            JobSnapshot waiting = job.withReservation(ok.reservation()).to(new JobState.AwaitingSlot());
            lifecycle.move(job, waiting);
            reserved.accept(waiting);
        } else if (outcome instanceof ReserveOutcome.Exhausted exhausted) {
            if (budget.policy(job.tenant()) == ExhaustionPolicy.WAIT) {
                JobSnapshot parked = job.to(new JobState.Parked(exhausted.resumesAt()));
                lifecycle.move(job, parked);
                parking.park(parked, exhausted.resumesAt(), now);
            } else {
                completion.finish(job, job.result(JobStatus.REJECTED, Tokens.ZERO, null, JobResult.Error.of("BUDGET_EXHAUSTED",
                        "tenant '" + tenantName(job) + "' has " + exhausted.remaining() + " tokens left in this window; the job needs "
                                + job.estimatedCost() + "; the window rolls at " + exhausted.resumesAt(), true), now));
            }
        } else if (outcome instanceof ReserveOutcome.TooLarge tooLarge) {
            completion.finish(job, job.result(JobStatus.REJECTED, Tokens.ZERO, null, JobResult.Error.of("COST_EXCEEDS_BUDGET",
                    "the job costs " + job.estimatedCost() + " tokens, more than tenant '" + tenantName(job)
                            + "' may spend in a whole window (" + tooLarge.limit() + ")", false), now));
        }
    }

    /** Parked → Admitted, then reserved again; true if it parked again (the window is still spent). */
    private boolean retryParked(JobSnapshot parked) {
        if (!lifecycle.isCurrent(parked)) {
            return false; // abandoned meanwhile
        }
        JobSnapshot admitted = parked.to(new JobState.Admitted());
        lifecycle.move(parked, admitted);
        reserve(admitted);
        JobSnapshot now = lifecycle.jobs().current(parked.jobId());
        return now != null && now.is(JobState.Parked.class);
    }

    /**
     * Ends the job EXPIRED (releasing its budget) if its deadline passed before it could be submitted.
     *
     * @return whether it did
     */
    boolean expired(JobSnapshot job, Instant now) {
        Instant notAfter = job.job().notAfter();
        if (notAfter == null || !now.isAfter(notAfter)) {
            return false;
        }
        completion.finish(released(job), job.result(JobStatus.EXPIRED, Tokens.ZERO, null, JobResult.Error.of("DEADLINE_PASSED",
                "notAfter " + notAfter + " passed before the job could be submitted", false), now));
        return true;
    }

    /**
     * Settles the job's reservation at what Givon reported, or at the full estimate when it reported
     * nothing (Givon may hold, and charge, a generation: never account less).
     *
     * @return the job without its reservation; {@code charged} tells what was accounted
     */
    Settled settle(JobSnapshot job, Tokens reported) {
        Tokens charged = reported != null ? reported : job.estimatedCost();
        if (job.reservation() != null) {
            budget.settle(job.reservation(), charged);
            if (job.estimatedCost().exceeds(charged)) {
                parking.capacityFreed(job.tenant());
            }
        }
        return new Settled(job.withReservation(null), charged);
    }

    record Settled(JobSnapshot job, Tokens charged) {}

    /** Gives back a reservation Givon did not use (nothing was created); the job without it. */
    JobSnapshot released(JobSnapshot job) {
        if (job.reservation() == null) {
            return job;
        }
        budget.release(job.reservation());
        parking.capacityFreed(job.tenant());
        return job.withReservation(null);
    }

    /** Drops parked jobs (their partitions were revoked); they are the next owner's. */
    void unpark(Predicate<JobSnapshot> which) {
        parking.removeIf(which);
    }

    int parkedRecords() {
        return parking.parkedRecords();
    }

    long parkedBytes() {
        return parking.parkedBytes();
    }

    private static String tenantName(JobSnapshot job) {
        return job.tenant() == null ? "(default)" : job.tenant();
    }
}
