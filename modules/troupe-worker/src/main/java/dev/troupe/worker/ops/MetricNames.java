package dev.troupe.worker.ops;

/**
 * Every meter name and tag key of the worker, in Micrometer's form: Prometheus writes the dots as
 * underscores, adds {@code _total} to counters and {@code _seconds} to timers ({@code troupe.jobs}
 * is scraped as {@code troupe_jobs_total}). The README's metrics table lists the scraped names, and
 * a test keeps the two equal; {@code deploy/prometheus} and {@code deploy/grafana} query them.
 */
public final class MetricNames {

    private MetricNames() {
    }

    public static final String JOBS = "troupe.jobs";
    public static final String JOB_LATENCY = "troupe.job.latency";
    public static final String JOBS_IN_FLIGHT = "troupe.jobs.in.flight";
    public static final String JOBS_QUEUED = "troupe.jobs.queued";
    public static final String JOBS_PARKED = "troupe.jobs.parked";
    public static final String JOBS_DUPLICATES = "troupe.jobs.duplicates";
    public static final String JOBS_DEAD_LETTERED = "troupe.jobs.dead.lettered";
    public static final String JOBS_ABANDONED = "troupe.jobs.abandoned";
    public static final String CONCURRENCY_LIMIT = "troupe.concurrency.limit";
    public static final String CONCURRENCY_MAX = "troupe.concurrency.max";
    public static final String CONCURRENCY_SHARE = "troupe.concurrency.share";

    public static final String BUDGET_LIMITED = "troupe.budget.limited";
    public static final String BUDGET_TOKENS = "troupe.budget.tokens";
    public static final String BUDGET_WINDOW = "troupe.budget.window";
    public static final String BUDGET_RESERVATION = "troupe.budget.reservation";

    public static final String GIVON_EXCHANGES = "troupe.givon.exchanges";
    public static final String GIVON_CIRCUIT_OPEN = "troupe.givon.circuit.open";
    public static final String GIVON_KEY_REFUSED = "troupe.givon.key.refused";

    public static final String WORKER_READY = "troupe.worker.ready";
    public static final String JOURNAL_RESTORE = "troupe.journal.restore";
    public static final String JOURNAL_TAKEN_OVER = "troupe.journal.taken.over";
    public static final String RESULTS_TRANSACTIONS = "troupe.results.transactions";
    public static final String RESULTS_TRANSACTIONS_ABORTED = "troupe.results.transactions.aborted";
    public static final String RESULTS_OUTCOMES_COMMITTED = "troupe.results.outcomes.committed";
    public static final String PROGRESS_EVENTS_FAILED = "troupe.progress.events.failed";

    /** A job's result status in lower case: succeeded, failed, rejected, expired, cancelled. */
    public static final String TAG_OUTCOME = "outcome";
    /** A budget key: a configured tenant or {@code default}, never a raw tenant name from a record. */
    public static final String TAG_TENANT = "tenant";
    /** Of {@link #BUDGET_TOKENS}: reserved, spent (every budget), limit, remaining (limited budgets only). */
    public static final String TAG_STATE = "state";
    /** Of {@link #JOBS_PARKED}: memory (the record uncommitted) or journal (only the journal holds the job). */
    public static final String TAG_HELD = "held";
    /** Of {@link #GIVON_EXCHANGES}: submit, status, probe. */
    public static final String TAG_KIND = "kind";
    /** Of {@link #GIVON_EXCHANGES}: 2xx, 4xx, 429, 5xx, connection, no_response, other. */
    public static final String TAG_CLASS = "class";
}
