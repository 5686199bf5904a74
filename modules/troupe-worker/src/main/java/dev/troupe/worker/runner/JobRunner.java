package dev.troupe.worker.runner;

import dev.troupe.givon.GivonClient;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.TokenBudget;
import dev.troupe.worker.consumer.CompletionQueue;
import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.consumer.JobSink;
import dev.troupe.worker.journal.JobJournal;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import dev.troupe.worker.ops.WorkerMetrics;
import dev.troupe.worker.results.ResultPublisher;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs each job from record to result on one Vert.x event-loop context, in stages that each do one
 * thing: {@link Admission} (decode, dedupe, reject), {@link BudgetGate} (reserve, park, settle),
 * {@link Dispatch} (concurrency slots), {@link GenerationRun} (submit, follow, classify) and
 * {@link Completion} (publish, hand the offset back); every change of a job goes through
 * {@link JobLifecycle}. Everything here runs on {@link #context}; nothing blocks.
 */
public final class JobRunner implements JobSink {

    /**
     * Tunables; validated by the worker configuration.
     *
     * @param resubmitUncertain whether a submission whose outcome is unknown is sent again with the same
     *                          Idempotency-Key (givon.idempotency: trusted); else it ends SUBMIT_UNCERTAIN
     */
    public record Settings(RetryPolicy retry, Duration followTimeout, int dedupeWindow, Duration outOfTokensPause,
                           WorkerConfig.Circuit circuit, boolean resubmitUncertain) {}

    /** What the runner works with, built by the worker. */
    public record Collaborators(JobCodec codec, ModelCatalog catalog, GivonClient givon, TokenBudget budget,
                                ConcurrencyLimiter limiter, ResultPublisher publisher, CompletionQueue completions,
                                JobJournal journal, WorkerMetrics metrics) {}

    private final Context context;
    private final WorkerMetrics metrics;
    private final JobLifecycle lifecycle;
    private final RecentJobIds<DeliveredRecord> recent;
    private final GivonGate gate;
    private final BudgetGate budget;
    private final Dispatch dispatch;
    private final Admission admission;

    public JobRunner(Vertx vertx, Context context, Collaborators with, Settings settings, Clock clock) {
        this.context = context;
        this.metrics = with.metrics();
        this.lifecycle = new JobLifecycle(with.journal(), clock);
        this.recent = new RecentJobIds<>(settings.dedupeWindow());
        Completion completion = new Completion(lifecycle, with.publisher(), with.completions(), recent, metrics);
        this.budget = new BudgetGate(vertx, lifecycle, with.budget(), completion, clock);
        this.gate = new GivonGate(vertx, with.givon()::checkAccess, settings.circuit(), settings.outOfTokensPause(), clock,
                () -> context.runOnContext(v -> dispatch().pump()));
        GenerationRun run = new GenerationRun(lifecycle, with.givon(), gate, with.limiter(), budget, completion, metrics,
                settings, clock);
        this.dispatch = new Dispatch(vertx, context, lifecycle, with.limiter(), gate, budget, run, clock);
        budget.onReserved(dispatch::enqueue);
        this.admission = new Admission(context, with.codec(), with.catalog(), lifecycle, budget, completion, recent, metrics, clock);
    }

    private Dispatch dispatch() {
        return dispatch;
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

    @Override
    public int parkedRecords() {
        return budget.parkedRecords();
    }

    @Override
    public long parkedBytes() {
        return budget.parkedBytes();
    }

    @Override
    public CompletableFuture<Void> revoke(Collection<TopicPartition> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> handBack(Set.copyOf(partitions), done));
        return done;
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

    // ---- revocation and shutdown -------------------------------------------------------------

    /**
     * Jobs Givon cannot hold are given up to the next owner at once; {@code done} completes when the
     * other jobs of these partitions have ended. It completes in a later event-loop task than the
     * last of them, so the completions they queued come first on the consumer thread.
     */
    private void handBack(Set<TopicPartition> revoked, CompletableFuture<Void> done) {
        // Records delivered but not admitted yet are the next owner's, like unsubmitted jobs.
        admission.drop(revoked);
        dispatch.unqueue(job -> revoked.contains(job.partition()));
        budget.unpark(job -> revoked.contains(job.partition()));
        List<DeliveredRecord> readmitted = new ArrayList<>();
        for (JobSnapshot job : lifecycle.jobs().of(revoked)) {
            if (job.unsubmitted()) {
                abandon(job, revoked, readmitted);
            }
        }
        lifecycle.jobs().whenGone(revoked, () -> context.runOnContext(v -> done.complete(null)));
        // Repeats of abandoned jobs from partitions still owned are records of their own: the first of them runs the job.
        admission.admit(readmitted);
    }

    private void abandon(JobSnapshot job, Set<TopicPartition> revoked, List<DeliveredRecord> readmitted) {
        JobSnapshot released = budget.released(job);
        lifecycle.move(released, released.to(new JobState.Abandoned()));
        metrics.abandoned();
        recent.forget(job.jobId()).stream().filter(repeat -> !revoked.contains(repeat.record().partition()))
                .forEach(readmitted::add);
    }
}
