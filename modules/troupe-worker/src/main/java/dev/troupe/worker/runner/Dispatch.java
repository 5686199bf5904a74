package dev.troupe.worker.runner;

import dev.troupe.model.JournalEntry;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Jobs with their budget reserved, waiting for a concurrency slot: starts as many as the limiter and
 * the Givon gate allow, each run holding its slot until it ends ({@link ConcurrencyLimiter#withPermit}),
 * and queues again what a run hands back. Confined to the runner's event loop.
 */
final class Dispatch {

    private static final int SUBMIT_SLICE = 16;

    private final Vertx vertx;
    private final Context context;
    private final JobLifecycle lifecycle;
    private final ConcurrencyLimiter limiter;
    private final GivonGate gate;
    private final BudgetGate budget;
    private final GenerationRun run;
    private final Clock clock;
    private final HandBacks handBacks;
    private final ArrayDeque<JobSnapshot> awaitingSlot = new ArrayDeque<>();
    private long pumpTimer = -1;
    private boolean pumpScheduled;
    /** Asks to be woken when another event loop gives a slot back (null: this is the worker's only event loop). */
    private Runnable slotWanted;

    Dispatch(Vertx vertx, Context context, JobLifecycle lifecycle, ConcurrencyLimiter limiter, GivonGate gate, BudgetGate budget,
             GenerationRun run, Clock clock, HandBacks handBacks) {
        this.vertx = vertx;
        this.context = context;
        this.lifecycle = lifecycle;
        this.limiter = limiter;
        this.gate = gate;
        this.budget = budget;
        this.run = run;
        this.clock = clock;
        this.handBacks = handBacks;
    }

    /**
     * A job whose budget is reserved (state AwaitingSlot) joins the end of the queue; one whose
     * generation Givon already runs (taken over) is followed at once and counts against the limit.
     */
    void enqueue(JobSnapshot awaiting) {
        if (awaiting.takenOver() instanceof JournalEntry.Accepted) {
            if (lifecycle.isCurrent(awaiting)) { // no notAfter check: Givon runs it, it is followed to its end
                ConcurrencyLimiter.withPermit(limiter.acquireRunning(), held -> run.start(awaiting, held)).onSuccess(this::then);
            }
            return;
        }
        awaitingSlot.addLast(awaiting);
        pump();
    }

    /** Set before the first job, when the worker runs several event loops sharing one limiter. */
    void onSlotWanted(Runnable wanted) {
        slotWanted = wanted;
    }

    /** Takes queued jobs out (their partitions were revoked, or they were cancelled) and returns them. */
    List<JobSnapshot> unqueue(Predicate<JobSnapshot> which) {
        List<JobSnapshot> taken = new java.util.ArrayList<>();
        awaitingSlot.removeIf(job -> which.test(job) && taken.add(job));
        return taken;
    }

    /**
     * Starts as many waiting jobs as the limiter allows, a slice per event-loop task so that answers
     * already in flight are not held up; re-arms itself when a Retry-After pause ends.
     */
    void pump() {
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
            Optional<ConcurrencyLimiter.Permit> permit = gate.open(now) ? limiter.tryAcquire(now) : Optional.empty();
            if (permit.isEmpty() && slotWanted != null && gate.open(now)) {
                // The slots may be another event loop's: ask to be woken, then look once more, so that a
                // slot given back between the two looks is not missed.
                slotWanted.run();
                permit = limiter.tryAcquire(now);
            }
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
            JobSnapshot job = awaitingSlot.pollFirst();
            if (!lifecycle.isCurrent(job) || budget.stopsBeforeGivon(job, now)) {
                permit.get().release();
                continue;
            }
            ConcurrencyLimiter.withPermit(permit.get(), held -> run.start(job, held)).onSuccess(this::then);
        }
    }

    private void then(GenerationRun.Next next) {
        if (next instanceof GenerationRun.Next.WaitForGivon waiting) {
            requeue(waiting.job());
        } else if (next instanceof GenerationRun.Next.RetryAfter retry) {
            JobSnapshot backingOff = retry.job();
            vertx.setTimer(Math.max(1, retry.delay().toMillis()), id -> {
                if (lifecycle.isCurrent(backingOff)) { // not abandoned meanwhile
                    JobSnapshot awaiting = backingOff.to(new JobState.AwaitingSlot());
                    lifecycle.move(backingOff, awaiting);
                    requeue(awaiting);
                }
            });
        }
        pump();
    }

    /** Back to the head of the queue, unless its partition is being handed back: then it is the next owner's. */
    private void requeue(JobSnapshot awaiting) {
        if (handBacks.includes(awaiting.partition())) {
            handBacks.handOver(awaiting);
        } else {
            awaitingSlot.addFirst(awaiting);
            pump();
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || a.isBefore(b) ? b : a;
    }
}
