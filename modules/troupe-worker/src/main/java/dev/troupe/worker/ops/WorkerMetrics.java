package dev.troupe.worker.ops;

import static dev.troupe.worker.ops.MetricNames.TAG_CLASS;
import static dev.troupe.worker.ops.MetricNames.TAG_HELD;
import static dev.troupe.worker.ops.MetricNames.TAG_KIND;
import static dev.troupe.worker.ops.MetricNames.TAG_OUTCOME;
import static dev.troupe.worker.ops.MetricNames.TAG_STATE;
import static dev.troupe.worker.ops.MetricNames.TAG_TENANT;

import dev.troupe.givon.ExchangeObserver;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.Budgets;
import dev.troupe.worker.budget.FleetBudget;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The worker's own meters (names in {@link MetricNames}, each listed in the README): every one is
 * registered here with its help text, and every tagged one for its whole, bounded label set at
 * start (budget keys from the configuration, outcomes, Givon exchange kinds and classes), so that
 * rules and dashboards find a series before anything happened and nothing on a job's path looks a
 * meter up. Gauges read the limiter, the budgets and the runner directly, so they never drift.
 * The events come from any thread.
 */
public final class WorkerMetrics implements ExchangeObserver {

    /** Job latency buckets, for generations that take minutes: 1 s to an hour. */
    private static final Duration[] LATENCY_BUCKETS = seconds(1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600);
    private static final String DEFAULT_TENANT = "default";

    private final BudgetPolicy policy;
    private final MeterRegistry registry;
    private final Set<String> budgetKeys;
    /** By budget key, then by {@link JobStatus#ordinal()}. */
    private final Map<String, Counter[]> finished = new HashMap<>();
    private final Timer[] latency = new Timer[JobStatus.values().length];
    private final Map<String, AtomicInteger> queued = new HashMap<>();
    private final Map<String, Timer> reservations = new HashMap<>();
    /** By {@link ExchangeObserver.Kind#ordinal()}, then by {@link ExchangeObserver.AnswerClass#ordinal()}. */
    private final Counter[][] exchanges = new Counter[Kind.values().length][AnswerClass.values().length];
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter abandoned;
    private final Timer journalRestore;
    private final Counter journalTakenOver;
    private final Timer transactionsCommitted;
    private final Counter transactionsAborted;
    private final Counter outcomesCommitted;
    private final Counter progressFailed;

    /** What the worker's state gauges read; any thread. */
    public interface WorkerState {
        /** What {@code /health/ready} answers. */
        boolean ready();

        /** Submissions stopped for want of Givon (no connection, 5xx) until a probe says it answers. */
        boolean circuitOpen();

        /** Submissions stopped because Givon refuses the API key, until a probe says it takes it. */
        boolean keyRefused();

        /** Jobs parked on the spent window of this budget, in memory (their records uncommitted) or in the journal only. */
        int parked(String budgetKey, boolean inMemory);
    }

    /**
     * @param fleetDecided whether limited budgets are decided in {@code topics.budget} (budget.scope: fleet):
     *                     then their reservations are timed
     */
    public WorkerMetrics(MeterRegistry registry, ConcurrencyLimiter limiter, Budgets budget, BudgetPolicy policy,
                         boolean fleetDecided) {
        this.registry = registry;
        this.policy = policy;
        this.budgetKeys = policy.budgetKeys();
        Map<String, BudgetRule> limited = FleetBudget.limited(policy);
        for (JobStatus status : JobStatus.values()) {
            latency[status.ordinal()] = Timer.builder(MetricNames.JOB_LATENCY).tag(TAG_OUTCOME, outcome(status))
                    .description("time from a job's start on a worker to its result, by outcome")
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        }
        for (String key : budgetKeys) {
            String tenant = tenantTag(key);
            Counter[] byStatus = new Counter[JobStatus.values().length];
            for (JobStatus status : JobStatus.values()) {
                byStatus[status.ordinal()] = Counter.builder(MetricNames.JOBS).tag(TAG_OUTCOME, outcome(status)).tag(TAG_TENANT, tenant)
                        .description("jobs finished (their result published), by outcome and budget key").register(registry);
            }
            finished.put(key, byStatus);
            AtomicInteger waiting = new AtomicInteger();
            queued.put(key, waiting);
            Gauge.builder(MetricNames.JOBS_QUEUED, waiting::get).tag(TAG_TENANT, tenant)
                    .description("jobs taken from Kafka and not parked that are not at Givon yet: waiting for their budget's"
                            + " answer, a concurrency slot, a retry or an operator's resume").register(registry);
            BudgetRule rule = limited.get(key);
            Gauge.builder(MetricNames.BUDGET_LIMITED, () -> rule == null ? 0 : 1).tag(TAG_TENANT, tenant)
                    .description("1 when the budget has a limit, 0 when it is unlimited (then it has no limit, remaining or"
                            + " window series)").register(registry);
            tokenGauge(key, "reserved", budget::reserved);
            tokenGauge(key, "spent", budget::spent);
            if (rule != null) {
                Tokens limit = rule.limit();
                tokenGauge(key, "limit", k -> limit);
                tokenGauge(key, "remaining", budget::remaining);
                double window = rule.window().toMillis() / 1000.0;
                Gauge.builder(MetricNames.BUDGET_WINDOW, () -> window).tag(TAG_TENANT, tenant).baseUnit("seconds")
                        .description("length of the limited budget's window (fixed windows aligned to the Unix epoch)")
                        .register(registry);
                if (fleetDecided) {
                    reservations.put(key, Timer.builder(MetricNames.BUDGET_RESERVATION).tag(TAG_TENANT, tenant)
                            .description("time from a limited budget's reservation request to its decision (a write to"
                                    + " topics.budget and the reader reaching it)")
                            .publishPercentileHistogram(true).register(registry));
                }
            }
        }
        for (Kind kind : Kind.values()) {
            for (AnswerClass answer : AnswerClass.values()) {
                exchanges[kind.ordinal()][answer.ordinal()] = Counter.builder(MetricNames.GIVON_EXCHANGES)
                        .tag(TAG_KIND, kind.label()).tag(TAG_CLASS, answer.label())
                        .description("HTTP exchanges with Givon, by kind (submit, status, probe) and answer class (2xx, 4xx,"
                                + " 429, 5xx, other; connection: nothing sent; no_response: sent, no complete answer)")
                        .register(registry);
            }
        }
        Gauge.builder(MetricNames.JOBS_IN_FLIGHT, limiter, ConcurrencyLimiter::inFlight)
                .description("Givon generations this worker is submitting or following").register(registry);
        Gauge.builder(MetricNames.CONCURRENCY_LIMIT, limiter, ConcurrencyLimiter::limit)
                .description("current AIMD concurrency limit (lowered on 429, raised on success)").register(registry);
        Gauge.builder(MetricNames.CONCURRENCY_MAX, limiter, ConcurrencyLimiter::maxLimit)
                .description("worker.concurrency: the most generations this worker keeps in flight").register(registry);
        Gauge.builder(MetricNames.CONCURRENCY_SHARE, limiter, ConcurrencyLimiter::share)
                .description("this worker's share of givon.max-in-flight (the account's generations in flight, divided among"
                        + " the workers by the partitions each owns); worker.concurrency when the account sets no limit")
                .register(registry);
        this.duplicates = Counter.builder(MetricNames.JOBS_DUPLICATES)
                .description("records whose jobId was already in flight or finished here; not submitted again").register(registry);
        this.deadLettered = Counter.builder(MetricNames.JOBS_DEAD_LETTERED)
                .description("records without a readable jobId, sent to the dead-letter topic").register(registry);
        this.abandoned = Counter.builder(MetricNames.JOBS_ABANDONED)
                .description("jobs handed to the next owner on revocation or shutdown (it runs them, or follows their generation)")
                .register(registry);
        this.journalRestore = Timer.builder(MetricNames.JOURNAL_RESTORE)
                .description("time to read an assigned partition's journal to its end (the partition is paused meanwhile)")
                .publishPercentileHistogram(true).register(registry);
        this.journalTakenOver = Counter.builder(MetricNames.JOURNAL_TAKEN_OVER)
                .description("jobs an assigned partition's journal showed under way at a previous owner (followed, or ended uncertain)")
                .register(registry);
        this.transactionsCommitted = Timer.builder(MetricNames.RESULTS_TRANSACTIONS)
                .description("results transactions committed (results, dead letters, journal outcomes and offsets together), by duration")
                .publishPercentileHistogram(true).register(registry);
        this.transactionsAborted = Counter.builder(MetricNames.RESULTS_TRANSACTIONS_ABORTED)
                .description("results transactions aborted (their outcomes are sent again in the next one)").register(registry);
        this.outcomesCommitted = Counter.builder(MetricNames.RESULTS_OUTCOMES_COMMITTED)
                .description("results and dead letters made visible by committed transactions").register(registry);
        this.progressFailed = Counter.builder(MetricNames.PROGRESS_EVENTS_FAILED)
                .description("progress events not sent to topics.progress (queue full, no metadata, broker error); jobs are not affected")
                .register(registry);
    }

    /** Registers the gauges that read the running worker: readiness, the Givon gate, parked jobs by budget key. */
    public void watch(WorkerState state) {
        Gauge.builder(MetricNames.WORKER_READY, () -> state.ready() ? 1 : 0)
                .description("1 when /health/ready answers 200 (partitions assigned, polls and heartbeats recent, Givon takes"
                        + " the key, its circuit closed), else 0").register(registry);
        Gauge.builder(MetricNames.GIVON_CIRCUIT_OPEN, () -> state.circuitOpen() ? 1 : 0)
                .description("1 while the circuit is open: submissions stopped for want of Givon (no connection, 5xx) until"
                        + " a probe says it answers; jobs wait in Kafka").register(registry);
        Gauge.builder(MetricNames.GIVON_KEY_REFUSED, () -> state.keyRefused() ? 1 : 0)
                .description("1 while Givon refuses the API key (401/403): nothing is submitted until a probe says it takes it")
                .register(registry);
        for (String key : budgetKeys) {
            for (boolean inMemory : new boolean[] {true, false}) {
                Gauge.builder(MetricNames.JOBS_PARKED, () -> state.parked(key, inMemory))
                        .tag(TAG_TENANT, tenantTag(key)).tag(TAG_HELD, inMemory ? "memory" : "journal")
                        .description("jobs waiting for a spent budget window to roll, by budget key and where the job is held"
                                + " (memory: its record uncommitted; journal: only the journal holds it)").register(registry);
            }
        }
    }

    @Override
    public void exchanged(Kind kind, AnswerClass answer) {
        exchanges[kind.ordinal()][answer.ordinal()].increment();
    }

    /** {@code change} jobs of this tenant joined (positive) or left (negative) the queue before Givon. */
    public void queued(String tenantOrNull, int change) {
        queued.get(policy.budgetKey(tenantOrNull)).addAndGet(change);
    }

    /** A progress event was dropped; any thread. */
    public void progressEventFailed() {
        progressFailed.increment();
    }

    /** A limited budget's reservation was decided, {@code nanos} after it was asked (the budget log's round trip). */
    public void budgetReserved(String budgetKey, long nanos) {
        Timer timer = reservations.get(budgetKey);
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A results transaction committed {@code outcomes} outcomes in {@code nanos}. */
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

    public void finished(JobResult result) {
        int status = result.status().ordinal();
        finished.get(policy.budgetKey(result.tenant()))[status].increment();
        Instant started = result.timings().startedAt();
        Instant completed = result.timings().completedAt();
        if (started != null && completed != null) {
            latency[status].record(Duration.between(started, completed));
        }
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

    private void tokenGauge(String budgetKey, String state, Function<String, Tokens> reading) {
        Gauge.builder(MetricNames.BUDGET_TOKENS, () -> reading.apply(budgetKey).toBigDecimal())
                .tag(TAG_TENANT, tenantTag(budgetKey)).tag(TAG_STATE, state).baseUnit("tokens")
                .description("the budget's tokens in its current window as this worker sees it, by state (reserved, spent;"
                        + " limit and remaining for limited budgets only)").register(registry);
    }

    /**
     * Tenant tags are budget keys (configured tenants, or "default"), never raw tenant names from
     * records: a producer inventing names must not grow the metric set without bound.
     */
    private static String tenantTag(String budgetKey) {
        return BudgetPolicy.DEFAULT_BUDGET.equals(budgetKey) ? DEFAULT_TENANT : budgetKey;
    }

    private static String outcome(JobStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static Duration[] seconds(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofSeconds(values[i]);
        }
        return durations;
    }
}
