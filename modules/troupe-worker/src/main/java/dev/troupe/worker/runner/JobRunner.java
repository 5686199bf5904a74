package dev.troupe.worker.runner;

import dev.troupe.givon.GivonClient;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.Budgets;
import dev.troupe.worker.consumer.ConsumerCommands;
import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.consumer.JobSink;
import dev.troupe.worker.journal.JobJournal;
import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.limit.AccountHolds;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import dev.troupe.worker.ops.WorkerMetrics;
import dev.troupe.worker.results.ResultSink;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs each job from record to result on one Vert.x event-loop context, in stages that each do one
 * thing: {@link Admission} (decode, dedupe, reject), {@link BudgetGate} (reserve, park, settle),
 * {@link Dispatch} (concurrency slots), {@link GenerationRun} (submit, follow, classify) and
 * {@link Completion} (publish, hand the offset back); every change of a job goes through
 * {@link JobLifecycle}. Everything here runs on {@link #context}; nothing blocks.
 */
public final class JobRunner implements JobSink, HandBacks {

    /**
     * Tunables; validated by the worker configuration.
     *
     * @param resubmitUncertain whether a submission whose outcome is unknown is sent again with the same
     *                          Idempotency-Key (givon.idempotency: trusted); else it ends SUBMIT_UNCERTAIN
     * @param journaled         whether the journal is on: then a revoked partition's generations are handed
     *                          over (the next owner follows them) instead of followed to their end here
     */
    /** {@code worker}: the name every result this runner publishes carries ({@link dev.troupe.model.JobResult#workerName}). */
    public record Settings(RetryPolicy retry, Duration followTimeout, int dedupeWindow, Duration outOfTokensPause,
                           WorkerConfig.Circuit circuit, boolean resubmitUncertain, boolean journaled, String worker) {}

    /** What the runner works with, built by the worker. */
    public record Collaborators(JobCodec codec, ModelCatalog catalog, GivonClient givon, Budgets budget,
                                ConcurrencyLimiter limiter, ResultSink publisher, ConsumerCommands commands,
                                JobJournal journal, WorkerMetrics metrics, AccountHolds holds, Controls controls,
                                ProgressEvents progress) {
        /** Without progress events. */
        public Collaborators(JobCodec codec, ModelCatalog catalog, GivonClient givon, Budgets budget, ConcurrencyLimiter limiter,
                             ResultSink publisher, ConsumerCommands commands, JobJournal journal, WorkerMetrics metrics,
                             AccountHolds holds, Controls controls) {
            this(codec, catalog, givon, budget, limiter, publisher, commands, journal, metrics, holds, controls, ProgressEvents.NONE);
        }
    }

    private final Context context;
    private final ConsumerCommands commands;
    private final WorkerMetrics metrics;
    private final JobLifecycle lifecycle;
    private final RecentJobIds<DeliveredRecord> recent;
    private final GivonGate gate;
    private final BudgetGate budget;
    private final Dispatch dispatch;
    private final Admission admission;
    private final JournalResume resume;
    private final RecoveredJobs recovered = new RecoveredJobs();
    private final ConcurrencyLimiter limiter;
    private final Clock clock;
    private final Settings settings;
    private final Vertx vertx;
    /** Revoked partitions whose jobs are still being handed back. */
    private final Set<TopicPartition> handingBack = new HashSet<>();

    public JobRunner(Vertx vertx, Context context, Collaborators with, Settings settings, Clock clock) {
        this.context = context;
        this.vertx = vertx;
        this.limiter = with.limiter();
        this.clock = clock;
        this.settings = settings;
        this.commands = with.commands();
        this.metrics = with.metrics();
        this.lifecycle = new JobLifecycle(with.journal(), clock, with.publisher().transactional(),
                with.progress() == null ? ProgressEvents.NONE : with.progress(), settings.worker(),
                metrics == null ? JobLifecycle.QueuedJobs.NONE : metrics::queued);
        this.recent = new RecentJobIds<>(settings.dedupeWindow());
        Controls controls = with.controls() == null ? Controls.NONE : with.controls();
        Completion completion = new Completion(lifecycle, with.publisher(), with.commands(), recent, metrics, controls,
                settings.worker());
        this.budget = new BudgetGate(vertx, context, lifecycle, with.budget(), completion, controls, clock);
        this.gate = new GivonGate(vertx, with.givon()::checkAccess, settings.circuit(), settings.outOfTokensPause(), clock,
                () -> context.runOnContext(v -> dispatch().pump()),
                with.holds() == null ? GivonGate.FleetHolds.NONE : with.holds()::announce);
        GenerationRun run = new GenerationRun(lifecycle, with.givon(), gate, with.limiter(), budget, completion, settings, clock, this);
        this.dispatch = new Dispatch(vertx, context, lifecycle, with.limiter(), gate, budget, run, clock, this);
        budget.onReserved(dispatch::enqueue);
        this.admission = new Admission(context, with.codec(), with.catalog(), lifecycle, budget, completion, recent, recovered, metrics, with.limiter(), clock);
        this.resume = new JournalResume(context, with.journal(), lifecycle, budget, clock, job -> freed(job.jobId()));
        budget.onShelvedDue(resume::due);
    }

    private Dispatch dispatch() {
        return dispatch;
    }

    /**
     * With several event loops ({@link RunnerLanes}): {@code wanted} runs on this runner's event loop
     * when its queue waits for a slot that may be another's; {@link #slotsGrew()} wakes it. Call before
     * the first job.
     */
    void onSlotWanted(Runnable wanted) {
        dispatch.onSlotWanted(wanted);
    }

    /** Until when submissions are held because the account cannot pay (the epoch if never); any thread. */
    public Instant outOfTokensUntil() {
        return gate.outOfTokensUntil();
    }

    /** An operator's command arrived ({@code troupe.control}): held and queued jobs are looked at again. Any thread. */
    public void controlsChanged() {
        context.runOnContext(v -> {
            budget.controlsChanged(dispatch::unqueue);
            dispatch.pump();
        });
    }

    /** This worker's share of the Givon account grew: queued jobs may take the new slots. Any thread. */
    public void slotsGrew() {
        context.runOnContext(v -> dispatch.pump());
    }

    /** The fleet holds submissions until {@code until} (the account cannot pay); any thread. */
    public void accountHeld(Instant until, String reason) {
        context.runOnContext(v -> {
            gate.heldByFleet(until, reason);
            dispatch.pump(); // re-arms its timer to the hold's end
        });
    }

    // ---- hand-offs from the consumer thread -------------------------------------------------

    /**
     * Decodes and validates on the calling (consumer) thread, which is otherwise idle, then admits on
     * the event loop in small slices so that a full poll never holds the loop for long.
     */
    @Override
    public void deliver(List<JobRecord> records) {
        List<DeliveredRecord> decoded = new ArrayList<>(records.size());
        for (JobRecord record : records) {
            decoded.add(admission.decode(record));
        }
        context.runOnContext(v -> admission.admit(decoded));
    }

    /** A reservation of this budget closed somewhere in the fleet: its parked jobs try again. Any thread. */
    public void capacityFreed(String budgetKey) {
        context.runOnContext(v -> budget.capacityFreed(budgetKey));
    }

    @Override
    public int parkedRecords() {
        return budget.parkedRecords();
    }

    /** Jobs parked on spent budgets, in memory or in the journal. Any thread. */
    public int parkedJobs() {
        return budget.parkedJobs();
    }

    @Override
    public long parkedBytes() {
        return budget.parkedBytes();
    }

    @Override
    public void revoke(Collection<TopicPartition> partitions, Duration grace) {
        Set<TopicPartition> revoked = Set.copyOf(partitions);
        context.runOnContext(v -> handBack(revoked, grace));
    }

    @Override
    public void restored(JournalRestore restore, long assignment, Runnable counted) {
        context.runOnContext(v -> {
            handingBack.remove(restore.partition()); // assigned again
            metrics.journalRestored(restore.took(), recovered.restored(restore, limiter, clock.instant()) + admission.fromJournal(restore, assignment));
            counted.run();
            dispatch.pump(); // the share may have grown
        });
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

    /** Submissions stopped for want of Givon until a probe says it answers. Any thread. */
    public boolean givonCircuitOpen() {
        return gate.holding(GivonGate.Hold.CIRCUIT_OPEN);
    }

    /** Submissions stopped while Givon refuses the API key. Any thread. */
    public boolean givonKeyRefused() {
        return gate.holding(GivonGate.Hold.KEY_REFUSED);
    }

    /** This budget's jobs parked on its spent window, in memory (records uncommitted) or in the journal only. Any thread. */
    public int parked(String budgetKey, boolean inMemory) {
        return budget.parked(budgetKey, inMemory);
    }

    // ---- revocation and shutdown -------------------------------------------------------------

    /**
     * Gives the partitions back: jobs Givon cannot hold go to the next owner at once, and so do (with
     * the journal on) generations once the journal names them; submissions on the wire and results
     * being published get up to the grace, then (with the journal on) whatever is left is handed over too. The consumer
     * thread hears of it in a later event-loop task than the last job's end, so the completions those
     * jobs queued reach it first.
     */
    private void handBack(Set<TopicPartition> revoked, Duration grace) {
        handingBack.addAll(revoked);
        recovered.forget(revoked);
        // Records delivered but not admitted yet are the next owner's, like unsubmitted jobs.
        admission.drop(revoked);
        dispatch.unqueue(job -> revoked.contains(job.partition()));
        budget.dropHeld(job -> revoked.contains(job.partition()));
        // Parked jobs in memory are handed over below; shelved ones, and those being read back, are in the journal already.
        budget.unpark(job -> revoked.contains(job.partition())).stream().filter(job -> !job.inMemory())
                .forEach(job -> freed(job.jobId()));
        resume.cancel(revoked).forEach(job -> freed(job.jobId()));
        for (JobSnapshot job : lifecycle.jobs().of(revoked)) {
            if (job.unsubmitted() || (settings.journaled() && job.is(JobState.Following.class))) {
                handOver(job);
            }
        }
        // With the journal, a submission still unanswered at the grace is left to the next owner, which finds
        // its intent (uncertain). Without it, jobs Givon holds keep running here: handing them over would pay twice.
        long graceTimer = !settings.journaled() ? -1 : vertx.setTimer(Math.max(1, grace.toMillis()), id -> {
            for (JobSnapshot job : lifecycle.jobs().of(revoked)) {
                if (!job.is(JobState.Publishing.class) && !job.state().terminal()) {
                    handOver(job);
                }
            }
        });
        lifecycle.jobs().whenGone(revoked, () -> context.runOnContext(v -> {
            if (graceTimer >= 0) {
                vertx.cancelTimer(graceTimer);
            }
            handingBack.removeAll(revoked);
            commands.handedBack(revoked);
        }));
    }

    @Override
    public boolean includes(TopicPartition partition) {
        return handingBack.contains(partition);
    }

    @Override
    public void handOver(JobSnapshot job) {
        lifecycle.journaled(job.jobId()).onComplete(written -> {
            JobSnapshot current = lifecycle.jobs().current(job.jobId());
            if (current == null || current.is(JobState.Publishing.class) || current.state().terminal()) {
                return; // it ended meanwhile
            }
            if (current.is(JobState.Submitting.class) || current.is(JobState.Following.class)) {
                limiter.handedOver(clock.instant()); // Givon may run it on, uncounted until its next owner reads the journal
            }
            JobSnapshot released = budget.handedOver(current);
            lifecycle.move(released, released.to(new JobState.Abandoned()));
            metrics.abandoned();
            freed(job.jobId());
        });
    }

    /** The job will not run here (it was handed over): repeats from partitions still owned are records of their own, the first of them runs it. */
    private void freed(String jobId) {
        List<DeliveredRecord> readmitted = recent.forget(jobId).stream()
                .filter(repeat -> !handingBack.contains(repeat.record().partition())).toList();
        admission.admit(readmitted);
    }
}
