package dev.troupe.worker.ops;

import dev.troupe.model.JobResult;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.Budgets;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The worker's Micrometer meters (documented in the README): jobs by outcome, in flight, the current
 * concurrency limit, tokens reserved / spent / remaining per tenant, Givon calls by status class, and
 * job latency. Gauges read the limiter and the budget directly, so they never drift from the truth.
 */
public final class WorkerMetrics {

    private static final String DEFAULT_TENANT = "default";

    private final MeterRegistry registry;
    private final BudgetPolicy policy;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter abandoned;
    private final Timer journalRestore;
    private final Counter journalTakenOver;
    private final Timer transactionsCommitted;
    private final Counter transactionsAborted;
    private final Counter outcomesCommitted;
    private final Counter progressFailed;

    public WorkerMetrics(MeterRegistry registry, ConcurrencyLimiter limiter, Budgets budget, BudgetPolicy policy) {
        this.registry = registry;
        this.policy = policy;
        for (String budgetKey : policy.budgetKeys()) {
            tokenGauge(budgetKey, "reserved", budget::reserved);
            tokenGauge(budgetKey, "spent", budget::spent);
            tokenGauge(budgetKey, "remaining", budget::remaining);
        }
        Gauge.builder("troupe.jobs.in.flight", limiter, ConcurrencyLimiter::inFlight)
                .description("Givon generations this worker is submitting or following").register(registry);
        Gauge.builder("troupe.concurrency.limit", limiter, ConcurrencyLimiter::limit)
                .description("current AIMD concurrency limit (lowered on 429, raised on success)").register(registry);
        Gauge.builder("troupe.concurrency.max", limiter, ConcurrencyLimiter::maxLimit)
                .description("worker.concurrency: the most generations this worker keeps in flight").register(registry);
        Gauge.builder("troupe.concurrency.share", limiter, ConcurrencyLimiter::share)
                .description("this worker's share of givon.max-in-flight (the account's generations in flight, divided among"
                        + " the workers by the partitions each owns); worker.concurrency when the account sets no limit")
                .register(registry);
        this.duplicates = Counter.builder("troupe.jobs.duplicates")
                .description("records whose jobId was already in flight or finished here; not submitted again").register(registry);
        this.deadLettered = Counter.builder("troupe.jobs.dead.lettered")
                .description("records without a readable jobId, sent to the dead-letter topic").register(registry);
        this.abandoned = Counter.builder("troupe.jobs.abandoned")
                .description("jobs handed to the next owner on revocation or shutdown (it runs them, or follows their generation)")
                .register(registry);
        this.journalRestore = Timer.builder("troupe.journal.restore")
                .description("time to read an assigned partition's journal to its end (the partition is paused meanwhile)")
                .publishPercentileHistogram(true).register(registry);
        this.journalTakenOver = Counter.builder("troupe.journal.taken.over")
                .description("jobs an assigned partition's journal showed under way at a previous owner (followed, or ended uncertain)")
                .register(registry);
        this.transactionsCommitted = Timer.builder("troupe.results.transactions")
                .description("results transactions committed (results, dead letters, journal outcomes and offsets together), by duration")
                .register(registry);
        this.transactionsAborted = Counter.builder("troupe.results.transactions.aborted")
                .description("results transactions aborted (their outcomes are sent again in the next one)").register(registry);
        this.outcomesCommitted = Counter.builder("troupe.results.outcomes.committed")
                .description("results and dead letters made visible by committed transactions").register(registry);
        this.progressFailed = Counter.builder("troupe.progress.events.failed")
                .description("progress events not sent to topics.progress (queue full, no metadata, broker error); jobs are not affected")
                .register(registry);
    }

    /** A progress event was dropped; any thread. */
    public void progressEventFailed() {
        progressFailed.increment();
    }

    /** A results transaction committed {@code outcomes} outcomes in {@code nanos}. */
    /** A limited budget's reservation was decided, {@code nanos} after it was asked (the budget log's round trip). */
    public void budgetReserved(String budgetKey, long nanos) {
        Timer.builder("troupe.budget.reservation").tag("tenant", budgetKey)
                .description("time from a limited budget's reservation request to its decision (a write to troupe.budget and the"
                        + " reader reaching it)")
                .publishPercentileHistogram(true).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void transactionCommitted(int outcomes, long nanos) {
        transactionsCommitted.record(nanos, TimeUnit.NANOSECONDS);
        outcomesCommitted.increment(outcomes);
    }

    /** A results transaction was aborted; its outcomes are sent again. */
    public void transactionAborted() {
        transactionsAborted.increment();
    }

    /** An assigned partition's journal was read: how long it took, and how many jobs were under way in it. */
    public void journalRestored(Duration took, long jobsUnderWay) {
        journalRestore.record(took);
        journalTakenOver.increment(jobsUnderWay);
    }

    /**
     * Jobs parked on spent budgets: {@code held="memory"} (their records uncommitted; all of them with
     * the journal off) and {@code held="journal"} (shelved: only the journal holds them).
     */
    public void parking(java.util.function.IntSupplier inMemory, java.util.function.IntSupplier all) {
        Gauge.builder("troupe.jobs.parked", inMemory::getAsInt).tag("held", "memory")
                .description("jobs waiting for a spent budget window to roll, by where the job is held").register(registry);
        Gauge.builder("troupe.jobs.parked", () -> Math.max(0, all.getAsInt() - inMemory.getAsInt())).tag("held", "journal")
                .description("jobs waiting for a spent budget window to roll, by where the job is held").register(registry);
    }

    private void tokenGauge(String budgetKey, String state, Function<String, Tokens> reading) {
        Gauge.builder("troupe.budget.tokens", () -> reading.apply(budgetKey).toBigDecimal())
                .tag("tenant", tenantTag(budgetKey)).tag("state", state).baseUnit("tokens").register(registry);
    }

    /**
     * Tenant tags are budget keys (configured tenants, or "default"), never raw tenant names from
     * records: a producer inventing names must not grow the metric set without bound.
     */
    private String tenantTag(String budgetKey) {
        return BudgetPolicy.DEFAULT_BUDGET.equals(budgetKey) ? DEFAULT_TENANT : budgetKey;
    }

    public void finished(JobResult result) {
        String outcome = result.status().name().toLowerCase(Locale.ROOT);
        String tenant = tenantTag(policy.budgetKey(result.tenant()));
        registry.counter("troupe.jobs", "outcome", outcome, "tenant", tenant).increment();
        Instant started = result.timings().startedAt();
        Instant completed = result.timings().completedAt();
        if (started != null && completed != null) {
            Timer.builder("troupe.job.latency").tag("outcome", outcome).publishPercentileHistogram(false)
                    .register(registry).record(Duration.between(started, completed));
        }
    }

    /** One Givon submission (status polls are not counted), by class: 2xx, 4xx, 429, 5xx, connection, no_response. */
    public void givonCall(String statusClass) {
        registry.counter("troupe.givon.calls", "status", statusClass).increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void abandoned() {
        abandoned.increment();
    }
}
