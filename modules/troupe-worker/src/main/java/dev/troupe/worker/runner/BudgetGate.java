package dev.troupe.worker.runner;

import dev.troupe.model.ControlCommand;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.budget.Reservation;
import dev.troupe.worker.budget.ReserveOutcome;
import dev.troupe.worker.budget.Budgets;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's budget, from reservation to settlement: reserves before a job may take a slot, parks it
 * (policy wait) or rejects it (policy reject) when its tenant's window is spent, settles what Givon
 * charged, releases what it did not. Confined to the runner's event loop.
 */
final class BudgetGate {

    private static final Logger log = LoggerFactory.getLogger(BudgetGate.class);

    private final JobLifecycle lifecycle;
    private final Budgets budget;
    private final Context context;
    private final Completion completion;
    private final Clock clock;
    private final TenantParking parking;
    /** Where a job goes once its budget is reserved (the dispatch queue). */
    private Consumer<JobSnapshot> reserved = job -> {
        throw new IllegalStateException("no dispatch wired");
    };

    BudgetGate(Vertx vertx, Context context, JobLifecycle lifecycle, Budgets budget, Completion completion, Controls controls,
               Clock clock) {
        this.control = new ControlGate(controls);
        this.context = context;
        this.lifecycle = lifecycle;
        this.budget = budget;
        this.completion = completion;
        this.clock = clock;
        this.parking = new TenantParking(vertx, this::retryParked, budget::budgetKey, clock);
    }

    private final ControlGate control;

    void onReserved(Consumer<JobSnapshot> next) {
        this.reserved = next;
    }

    /** Where a shelved job goes once budget is reserved for it (or it must be decided on, rejected say): read back from the journal. */
    void onShelvedDue(BiConsumer<ParkedJob, Reservation> next) {
        this.shelvedDue = next;
    }

    private BiConsumer<ParkedJob, Reservation> shelvedDue = (job, reservation) -> {
        throw new IllegalStateException("no resume from the journal wired");
    };

    /**
     * Admitted → AwaitingSlot (reserved, handed on), Parked (WAIT), or a REJECTED/EXPIRED result; with
     * a fleet budget, once the log has decided (the job stays Admitted meanwhile).
     */
    void reserve(JobSnapshot job) {
        Instant now = clock.instant();
        if (stopsBeforeGivon(job, now)) {
            return;
        }
        whenDecided(budget.reserve(job.tenant(), job.jobId(), job.estimatedCost(), now), outcome -> decided(job, outcome), error -> {
            if (lifecycle.isCurrent(job)) {
                log.warn("job {}: its budget did not answer; it waits {} and asks again: {}", job.jobId(), UNANSWERED_WAIT,
                        error.toString());
                park(job, clock.instant().plus(UNANSWERED_WAIT));
            }
        });
    }

    /** How long a job waits when its fleet budget could not be asked (Kafka down), before it asks again. */
    static final java.time.Duration UNANSWERED_WAIT = java.time.Duration.ofSeconds(5);

    /** At once when the answer is there (a budget of this worker alone), else on the runner's context when it comes. */
    private void whenDecided(CompletableFuture<ReserveOutcome> asked, Consumer<ReserveOutcome> then, Consumer<Throwable> failed) {
        if (asked.isDone() && !asked.isCompletedExceptionally()) {
            then.accept(asked.join());
            return;
        }
        asked.whenComplete((outcome, error) -> context.runOnContext(v -> {
            if (error == null) {
                then.accept(outcome);
            } else {
                failed.accept(error);
            }
        }));
    }

    private void decided(JobSnapshot job, ReserveOutcome outcome) {
        if (!lifecycle.isCurrent(job)) {
            // Abandoned while the fleet decided (its partition moved on): the next owner asks again.
            if (outcome instanceof ReserveOutcome.Reserved ok) {
                release(ok.reservation(), job.jobId(), job.tenant());
            }
            return;
        }
        Instant now = clock.instant();
        if (outcome instanceof ReserveOutcome.Reserved ok) {
            JobSnapshot waiting = job.withReservation(ok.reservation()).to(new JobState.AwaitingSlot());
            lifecycle.move(job, waiting);
            reserved.accept(waiting);
        } else if (outcome instanceof ReserveOutcome.Exhausted exhausted) {
            if (budget.policy(job.tenant()) == ExhaustionPolicy.WAIT) {
                park(job, exhausted.resumesAt());
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

    /**
     * Parks the job; with the journal on, once its PARKED entry is acknowledged it leaves memory
     * (Shelved) and its record counts as finished, so its offset may be committed.
     */
    private void park(JobSnapshot job, Instant resumesAt) {
        JobSnapshot parked = job.to(new JobState.Parked(resumesAt));
        Future<Long> written = lifecycle.park(job, parked);
        ParkedJob waiting = ParkedJob.inMemory(parked);
        parking.park(waiting, resumesAt);
        written.onComplete(ar -> {
            if (ar.failed()) {
                log.warn("job {} stays parked in memory, its record uncommitted: {}", job.jobId(), ar.cause().toString());
            } else if (ar.result() >= 0 && !waiting.dropped() && lifecycle.isCurrent(parked)) { // -1: nothing written (journal off)
                lifecycle.move(parked, parked.to(new JobState.Shelved(ar.result())));
                parking.shelve(waiting, ar.result());
                completion.skip(parked.record());
            }
        });
    }

    /** A parked job the previous owner of its partition journaled: it waits here as it did there. */
    void parkRestored(ParkedJob job, Instant resumesAt) {
        parking.park(job, resumesAt);
    }

    /**
     * A parked job's turn: null once it left parking (resumed with its budget reserved, rejected, or
     * gone), else when to try again (the window is still spent: it keeps its place, nothing is written).
     */
    private Instant retryParked(ParkedJob parked, Instant now) {
        JobSnapshot inMemory = parked.snapshot();
        if (inMemory != null && !lifecycle.isCurrent(inMemory)) {
            return null; // abandoned meanwhile
        }
        CompletableFuture<ReserveOutcome> asked = budget.reserve(parked.tenant(), parked.jobId(), parked.cost(), now);
        if (asked.isDone() && !asked.isCompletedExceptionally()) {
            return parkedDecided(parked, asked.join(), now);
        }
        whenDecided(asked, outcome -> parking.decided(parked, parkedDecided(parked, outcome, clock.instant())),
                error -> parking.decided(parked, clock.instant().plus(UNANSWERED_WAIT)));
        return TenantParking.PENDING;
    }

    private Instant parkedDecided(ParkedJob parked, ReserveOutcome outcome, Instant now) {
        JobSnapshot inMemory = parked.snapshot();
        if (parked.dropped() || inMemory != null && !lifecycle.isCurrent(inMemory)) {
            // Its partition moved on while the fleet decided.
            if (outcome instanceof ReserveOutcome.Reserved ok) {
                release(ok.reservation(), parked.jobId(), parked.tenant());
            }
            return null;
        }
        if (outcome instanceof ReserveOutcome.Exhausted exhausted && budget.policy(parked.tenant()) == ExhaustionPolicy.WAIT) {
            return exhausted.resumesAt();
        }
        Reservation reservation = outcome instanceof ReserveOutcome.Reserved ok ? ok.reservation() : null;
        if (inMemory == null) {
            shelvedDue.accept(parked, reservation);
        } else {
            JobSnapshot admitted = inMemory.to(new JobState.Admitted());
            lifecycle.move(inMemory, admitted);
            resume(admitted, reservation, now);
        }
        return null;
    }

    /**
     * A parked job back in play as Admitted: with {@code reservation} it goes on to a slot (unless its
     * deadline passed); without one (the budget's rule changed: reject, or too large) it is decided on
     * by {@link #reserve} as a new job would be.
     */
    void resume(JobSnapshot admitted, Reservation reservation, Instant now) {
        if (reservation == null) {
            reserve(admitted);
            return;
        }
        JobSnapshot holding = admitted.withReservation(reservation);
        if (expired(holding, now)) {
            return;
        }
        JobSnapshot waiting = holding.to(new JobState.AwaitingSlot());
        lifecycle.move(holding, waiting);
        reserved.accept(waiting);
    }

    /** Gives back the reservation of a job that will not run here after all (read back failed, or it is no longer ours). */
    void release(Reservation reservation, String jobId, String tenant) {
        if (reservation != null && budget.release(reservation, jobId)) {
            parking.capacityFreed(tenant);
        }
    }

    /**
     * The last look before a job goes to Givon: it ends CANCELLED if an operator cancelled it, EXPIRED
     * if its deadline passed, or is held (its reservation given back) while its tenant is paused.
     *
     * @return whether it stopped here
     */
    boolean stopsBeforeGivon(JobSnapshot job, Instant now) {
        if (cancelled(job, now) || expired(job, now)) {
            return true;
        }
        if (control.pausedNow(job)) {
            JobSnapshot admitted = released(job);
            if (!admitted.is(JobState.Admitted.class)) {
                JobSnapshot back = admitted.to(new JobState.Admitted());
                lifecycle.move(admitted, back);
                admitted = back;
            }
            control.hold(admitted);
            lifecycle.held(admitted);
            return true;
        }
        return false;
    }

    private boolean cancelled(JobSnapshot job, Instant now) {
        ControlCommand cancel = control.cancelOf(job);
        if (cancel == null) {
            return false;
        }
        completion.finish(released(job), job.result(JobStatus.CANCELLED, Tokens.ZERO, null, JobResult.Error.of("CANCELLED",
                "cancelled by troupe cancel of " + cancel.key() + " at " + cancel.at() + (cancel.reason() == null ? ""
                        : ": " + cancel.reason()) + "; Givon had not accepted it, nothing was paid", false), now));
        return true;
    }

    /**
     * The operators' commands changed: held jobs whose tenant is resumed (or that are cancelled now)
     * go on, and queued and parked ones cancelled now end; {@code queued} takes them out of the dispatch
     * queue. A shelved job is read back from the journal without a reservation and ends where a
     * resumed job is looked at ({@link #stopsBeforeGivon}).
     */
    void controlsChanged(java.util.function.Function<Predicate<JobSnapshot>, List<JobSnapshot>> queued) {
        Instant now = clock.instant();
        for (JobSnapshot job : control.released()) {
            if (lifecycle.isCurrent(job)) {
                reserve(job);
            }
        }
        for (JobSnapshot job : queued.apply(job -> control.cancelOf(job) != null)) {
            if (lifecycle.isCurrent(job)) {
                cancelled(job, now);
            }
        }
        for (ParkedJob parked : parking.removeIf(job -> control.cancelOf(job) != null)) {
            JobSnapshot inMemory = parked.snapshot();
            if (inMemory == null) {
                shelvedDue.accept(parked, null);
            } else if (lifecycle.isCurrent(inMemory)) {
                cancelled(inMemory, now);
            }
        }
    }

    /** Drops held jobs of revoked partitions: the next owner reads their records again. */
    void dropHeld(Predicate<JobSnapshot> which) {
        control.drop(which);
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
            budget.settle(job.reservation(), job.jobId(), charged);
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
        budget.release(job.reservation(), job.jobId());
        parking.capacityFreed(job.tenant());
        return job.withReservation(null);
    }

    /**
     * The job goes to its partition's next owner: what Givon cannot hold gives its tokens back; what
     * it may hold leaves its reservation to the next owner ({@link Budgets#handOver}).
     */
    JobSnapshot handedOver(JobSnapshot job) {
        if (job.unsubmitted() || job.reservation() == null) {
            return released(job);
        }
        budget.handOver(job.reservation(), job.jobId());
        return job.withReservation(null);
    }

    /** Drops parked jobs (their partitions were revoked); they are the next owner's. Returns them. */
    List<ParkedJob> unpark(Predicate<ParkedJob> which) {
        return parking.removeIf(which);
    }

    void capacityFreed(String budgetKey) {
        parking.capacityFreed(budgetKey);
    }

    /** Records of jobs parked in memory or held by a pause: not this worker's to do now. Any thread. */
    int parkedRecords() {
        return parking.parkedRecords() + control.heldJobs();
    }

    int parkedJobs() {
        return parking.parkedJobs() + control.heldJobs();
    }

    /** This budget's jobs parked on its spent window, in memory or in the journal only; any thread. */
    int parked(String budgetKey, boolean inMemory) {
        return parking.parked(budgetKey, inMemory);
    }

    long parkedBytes() {
        return parking.parkedBytes() + control.heldBytes();
    }

    private static String tenantName(JobSnapshot job) {
        return job.tenant() == null ? "(default)" : job.tenant();
    }
}
