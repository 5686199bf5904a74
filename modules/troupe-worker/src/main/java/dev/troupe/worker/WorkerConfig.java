package dev.troupe.worker;

import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.RequestRate;
import dev.troupe.model.ValidationLimits;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.limit.ConcurrencyConfig;
import dev.troupe.worker.runner.RetryPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a worker needs, typed and validated in one place; errors name the configuration key.
 *
 * @param kafkaProperties any Kafka client property ({@code security.protocol}, SASL, ...), applied to
 *                        the consumer and the producer after Troupe's own settings
 * @param maxUnfinishedRecords records taken from Kafka but not yet finished (running or queued; jobs parked on
 *                        a spent budget do not count) above which the worker pauses its partitions
 * @param maxParkedBytes  record bytes that jobs parked on spent budgets may hold before the worker pauses
 *                        its partitions (parked jobs stay in memory until their window rolls)
 * @param eventLoops      Vert.x event loops the jobs run on, each taking a share of the partitions (1 to 64)
 * @param outOfTokensPause how long all submissions are held after Givon answers that the account is
 *                        out of tokens (402); the jobs stay uncommitted in Kafka meanwhile
 * @param circuit         when Givon counts as unavailable (consecutive failures across jobs) and how often
 *                        it is probed while it is, or while it refuses the API key
 * @param account         the Givon account's limits, which the fleet divides among its workers
 * @param opsPort         port of /metrics and /health (0 = any free port, -1 = no server)
 */
public record WorkerConfig(
        String bootstrapServers,
        String groupId,
        Topics topics,
        Journal journal,
        Tracker tracker,
        Results results,
        ConcurrencyConfig concurrency,
        int maxUnfinishedRecords,
        long maxParkedBytes,
        int eventLoops,
        RetryPolicy retry,
        int dedupeWindow,
        Duration revocationGrace,
        Duration shutdownGrace,
        Duration outOfTokensPause,
        Circuit circuit,
        BudgetPolicy budget,
        BudgetScope budgetScope,
        GivonConfig givon,
        Account account,
        ValidationLimits validation,
        String opsHost,
        int opsPort,
        Map<String, String> kafkaProperties) {

    /**
     * Topic names; {@code state} is the job journal, co-partitioned with {@code jobs}; {@code progress}
     * takes the jobs' progress events (best-effort: a worker without that topic sends none).
     */
    public record Topics(String jobs, String results, String deadLetter, String state, String budget, String control,
                         String progress, String batches) {
        public static final Topics DEFAULT = new Topics("troupe.jobs", "troupe.results", "troupe.dlq", "troupe.state", "troupe.budget",
                "troupe.control", "troupe.progress", "troupe.batches");

        public Topics {
            requireText(jobs, "topics.jobs");
            requireText(results, "topics.results");
            requireText(deadLetter, "topics.dlq");
            requireText(state, "topics.state");
            requireText(budget, "topics.budget");
            requireText(control, "topics.control");
            requireText(progress, "topics.progress");
            requireText(batches, "topics.batches");
        }

        /** With the batches' descriptors and completions on {@code troupe.batches}. */
        public Topics(String jobs, String results, String deadLetter, String state, String budget, String control, String progress) {
            this(jobs, results, deadLetter, state, budget, control, progress, "troupe.batches");
        }

        /** With the jobs' progress events on {@code troupe.progress}. */
        public Topics(String jobs, String results, String deadLetter, String state, String budget, String control) {
            this(jobs, results, deadLetter, state, budget, control, DEFAULT.progress());
        }

        /** With the operators' commands on {@code troupe.control}. */
        public Topics(String jobs, String results, String deadLetter, String state, String budget) {
            this(jobs, results, deadLetter, state, budget, DEFAULT.control());
        }

        /** With the budget log on {@code troupe.budget}. */
        public Topics(String jobs, String results, String deadLetter, String state) {
            this(jobs, results, deadLetter, state, DEFAULT.budget());
        }
    }

    /**
     * Who decides a limited budget: {@code FLEET} (the default), every worker through {@code topics.budget}'s
     * log order, so the fleet spends at most the limit together; {@code WORKER}, each worker alone
     * (N workers spend up to N limits; for a single worker without the budget topic).
     */
    public enum BudgetScope { FLEET, WORKER }

    /**
     * The batch tracker the worker runs embedded (DESIGN.md "Controls, progress and batches"; docs/worker.md).
     *
     * @param enabled   run it (the default); off for a fleet that runs it elsewhere, or none. A worker without
     *                  {@code topics.batches} runs none either way
     * @param stateDir  the directory under which each worker keeps its Streams state (a directory per worker
     *                  instance); null for a new temporary directory per worker, deleted when it stops
     * @param retention how long a batch is kept after its last record: a completed batch, or one whose
     *                  descriptor never came, is forgotten then
     */
    public record Tracker(boolean enabled, java.nio.file.Path stateDir, Duration retention) {
        public static final Tracker DEFAULT = new Tracker(true, null, Duration.ofDays(7));
        public static final Tracker OFF = new Tracker(false, null, Duration.ofDays(7));

        public Tracker {
            requirePositive(retention, "tracker.retention");
        }

        /** The Streams application of a group's trackers: every worker of the group shares it. */
        public static String applicationId(String groupId) {
            return groupId + "-batch-tracker";
        }
    }

    /**
     * The job journal on {@code topics.state} (DESIGN.md "The job journal").
     *
     * @param enabled   off only for benchmarks and clusters where the topic cannot exist: a crashed
     *                  worker's generations are then paid again by the next owner
     * @param retention how long a finished job's outcome is kept, so that the same jobId read again (by
     *                  this group or a new one) is answered from the journal instead of run and paid again
     */
    public record Journal(boolean enabled, Duration retention) {
        public static final Journal DEFAULT = new Journal(true, Duration.ofDays(7));

        public Journal {
            requirePositive(retention, "journal.retention");
        }
    }

    /**
     * How outcomes and offsets reach Kafka (DESIGN.md "Exactly-once results").
     *
     * @param delivery           {@code EXACTLY_ONCE}: results, dead letters, journal outcomes and offsets in one
     *                           transaction per worker, so a read_committed reader sees each job once across
     *                           crashes; {@code AT_LEAST_ONCE}: each result acknowledged, then its offset
     *                           committed (for clusters without transactions: a crash in between publishes it twice)
     * @param commitInterval     how often a transaction commits (a result becomes visible at most this late)
     * @param commitMaxOutcomes  outcomes that commit a transaction before the interval is up
     * @param transactionTimeout the producer's {@code transaction.timeout.ms}: how long a dead worker's open
     *                           transaction can hold read_committed readers of its partitions back
     */
    public record Results(Delivery delivery, Duration commitInterval, int commitMaxOutcomes, Duration transactionTimeout) {
        public static final Results DEFAULT = new Results(Delivery.EXACTLY_ONCE, Duration.ofMillis(100), 1_000,
                Duration.ofSeconds(10));

        public Results {
            if (delivery == null) {
                throw new IllegalArgumentException("results.delivery must be exactly-once or at-least-once");
            }
            requirePositive(commitInterval, "results.commit-interval");
            if (commitInterval.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("results.commit-interval must be at most 60s, got " + commitInterval);
            }
            if (commitMaxOutcomes < 1 || commitMaxOutcomes > 100_000) {
                throw new IllegalArgumentException("results.commit-max-outcomes must be 1..100000, got " + commitMaxOutcomes);
            }
            requirePositive(transactionTimeout, "results.transaction-timeout");
            // The broker refuses more than its transaction.max.timeout.ms (15 min by default).
            if (transactionTimeout.compareTo(Duration.ofSeconds(1)) < 0 || transactionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
                throw new IllegalArgumentException("results.transaction-timeout must be 1s..15m, got " + transactionTimeout);
            }
            if (transactionTimeout.compareTo(commitInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("results.transaction-timeout (" + transactionTimeout
                        + ") must be at least twice results.commit-interval (" + commitInterval + ")");
            }
        }

        public boolean exactlyOnce() {
            return delivery == Delivery.EXACTLY_ONCE;
        }
    }

    /** See {@link Results#delivery()}. */
    public enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }

    /**
     * The circuit breaker in front of Givon's POST.
     *
     * @param failureThreshold consecutive submissions, across jobs, that failed for want of Givon (transport
     *                         failures and 5xx) after which submissions stop and jobs wait in Kafka
     * @param probeInterval    how long submissions stay stopped before Givon is probed again (also the pace
     *                         of the checks while Givon refuses the API key)
     */
    public record Circuit(int failureThreshold, Duration probeInterval) {
        public static final Circuit DEFAULT = new Circuit(5, Duration.ofSeconds(30));

        public Circuit {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("worker.circuit.failure-threshold must be >= 1, got " + failureThreshold);
            }
            requirePositive(probeInterval, "worker.circuit.probe-interval");
        }
    }

    /**
     * Givon's limits for the whole account (DESIGN.md "Fleet quotas"), divided among the workers in
     * proportion to the partitions of {@code topics.jobs} each owns and divided again on every
     * rebalance; 0 means Givon sets no such limit (each worker then goes up to {@code worker.concurrency}).
     *
     * @param maxInFlight          {@code givon.max-in-flight}: generations the account may run at once
     * @param submissionsPerSecond {@code givon.max-submissions-per-second}
     * @param statusReadsPerSecond {@code givon.max-status-reads-per-second}
     */
    public record Account(int maxInFlight, double submissionsPerSecond, double statusReadsPerSecond) {
        public static final Account UNLIMITED = new Account(0, 0, 0);
        public static final int MAX_IN_FLIGHT = 1_000_000;

        public Account {
            if (maxInFlight < 0 || maxInFlight > MAX_IN_FLIGHT) {
                throw new IllegalArgumentException("givon.max-in-flight must be 0 (no limit) to " + MAX_IN_FLIGHT + ", got " + maxInFlight);
            }
            requireRate(submissionsPerSecond, "givon.max-submissions-per-second");
            requireRate(statusReadsPerSecond, "givon.max-status-reads-per-second");
        }

        private static void requireRate(double perSecond, String key) {
            if (!(perSecond >= 0 && perSecond <= RequestRate.MAX_RATE)) {
                throw new IllegalArgumentException(key + " must be 0 (no limit) to " + (long) RequestRate.MAX_RATE
                        + " per second, got " + perSecond);
            }
        }

        /** Whether Givon limits the account in any way the fleet must divide. */
        public boolean limited() {
            return maxInFlight > 0 || submissionsPerSecond > 0 || statusReadsPerSecond > 0;
        }
    }

    public WorkerConfig {
        requireText(bootstrapServers, "kafka.bootstrap.servers");
        requireText(groupId, "worker.group-id");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(concurrency, "worker.concurrency");
        if (maxUnfinishedRecords < concurrency.maxConcurrency()) {
            throw new IllegalArgumentException("worker.max-unfinished-records must be >= worker.concurrency ("
                    + concurrency.maxConcurrency() + "), got " + maxUnfinishedRecords);
        }
        if (maxParkedBytes < 1) {
            throw new IllegalArgumentException("worker.max-parked-bytes must be > 0, got " + maxParkedBytes);
        }
        Objects.requireNonNull(retry, "retry");
        if (eventLoops < 1 || eventLoops > MAX_EVENT_LOOPS) {
            throw new IllegalArgumentException("worker.event-loops must be 1 to " + MAX_EVENT_LOOPS + ", got " + eventLoops);
        }
        if (dedupeWindow < 0) {
            throw new IllegalArgumentException("worker.dedupe-window must be >= 0, got " + dedupeWindow);
        }
        requirePositive(revocationGrace, "worker.revocation-grace");
        requirePositive(shutdownGrace, "worker.shutdown-grace");
        requirePositive(outOfTokensPause, "worker.out-of-tokens-pause");
        Objects.requireNonNull(circuit, "worker.circuit");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(budgetScope, "budgetScope");
        Objects.requireNonNull(givon, "givon");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(validation, "validation");
        requireText(opsHost, "ops.host");
        if (opsPort < -1 || opsPort > 65535) {
            throw new IllegalArgumentException("ops.port must be -1 (off), 0 (any) or a port number, got " + opsPort);
        }
        kafkaProperties = Map.copyOf(kafkaProperties == null ? Map.of() : kafkaProperties);
        String explicitPollInterval = kafkaProperties.get(MAX_POLL_INTERVAL_MS);
        if (explicitPollInterval != null) {
            long needed = pollIntervalNeeded(revocationGrace, shutdownGrace).toMillis();
            if (parseMillis(explicitPollInterval) < needed) {
                throw new IllegalArgumentException("kafka." + MAX_POLL_INTERVAL_MS + " must be at least " + needed
                        + " (worker.revocation-grace " + revocationGrace + " or worker.shutdown-grace " + shutdownGrace
                        + ", whichever is longer, plus " + POLL_INTERVAL_MARGIN.toSeconds() + " s), got " + explicitPollInterval
                        + ": a consumer silent for longer leaves the group and its jobs run again elsewhere");
            }
        }
    }

    /** Event loops one worker runs its jobs on at most (each takes a share of the partitions). */
    public static final int MAX_EVENT_LOOPS = 64;

    private static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    private static final Duration KAFKA_DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);
    /** Time for the commit and the hand-over after a grace has run out. */
    private static final Duration POLL_INTERVAL_MARGIN = Duration.ofMinutes(1);

    /**
     * The consumer's {@code max.poll.interval.ms}: the consumer thread does not poll while it waits out
     * a grace (inside the rebalance callback, or while stopping), so the interval must outlast the
     * longer grace, or the group drops the worker, refuses its commit and runs its jobs again.
     * An explicit {@code kafka.max.poll.interval.ms} is kept (it was checked to be long enough).
     */
    public Duration maxPollInterval() {
        String explicit = kafkaProperties.get(MAX_POLL_INTERVAL_MS);
        if (explicit != null) {
            return Duration.ofMillis(parseMillis(explicit));
        }
        Duration needed = pollIntervalNeeded(revocationGrace, shutdownGrace);
        return needed.compareTo(KAFKA_DEFAULT_POLL_INTERVAL) > 0 ? needed : KAFKA_DEFAULT_POLL_INTERVAL;
    }

    private static Duration pollIntervalNeeded(Duration revocationGrace, Duration shutdownGrace) {
        Duration longer = revocationGrace.compareTo(shutdownGrace) >= 0 ? revocationGrace : shutdownGrace;
        return longer.plus(POLL_INTERVAL_MARGIN);
    }

    private static long parseMillis(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kafka." + MAX_POLL_INTERVAL_MS + " must be a whole number of milliseconds, got '"
                    + value + "'");
        }
    }

    public static Builder builder(String bootstrapServers, GivonConfig givon) {
        return new Builder(bootstrapServers, givon);
    }

    private static void requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must be set (non-blank)");
        }
    }

    private static void requirePositive(Duration value, String key) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + value);
        }
    }

    /** 128 MiB: about 200,000 parked jobs of a typical size (https media), or 180 with 700 KB data: URIs. */
    public static final long DEFAULT_MAX_PARKED_BYTES = 128L * 1024 * 1024;

    /** Defaults for everything but where Kafka and Givon are. */
    public static final class Builder {
        private final String bootstrapServers;
        private final GivonConfig givon;
        private String groupId = "troupe-workers";
        private Topics topics = Topics.DEFAULT;
        private Journal journal = Journal.DEFAULT;
        private Tracker tracker = Tracker.DEFAULT;
        private Results results = Results.DEFAULT;
        private ConcurrencyConfig concurrency = ConcurrencyConfig.withMaxConcurrency(64);
        private Integer maxUnfinishedRecords;
        private long maxParkedBytes = DEFAULT_MAX_PARKED_BYTES;
        private int eventLoops = 1;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private int dedupeWindow = 100_000;
        // With the journal a hand-back waits only for submissions on the wire and results being published.
        private Duration revocationGrace = Duration.ofSeconds(15);
        private Duration shutdownGrace = Duration.ofSeconds(20);
        private Duration outOfTokensPause = Duration.ofSeconds(60);
        private Circuit circuit = Circuit.DEFAULT;
        private BudgetPolicy budget = BudgetPolicy.unlimited();
        private BudgetScope budgetScope = BudgetScope.FLEET;
        private Account account = Account.UNLIMITED;
        private ValidationLimits validation = ValidationLimits.DEFAULTS;
        private String opsHost = "127.0.0.1";
        private int opsPort = -1;
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers, GivonConfig givon) {
            this.bootstrapServers = bootstrapServers;
            this.givon = givon;
        }

        public Builder groupId(String v) { groupId = v; return this; }
        public Builder topics(Topics v) { topics = v; return this; }
        public Builder journal(Journal v) { journal = v; return this; }
        public Builder tracker(Tracker v) { tracker = v; return this; }
        public Builder results(Results v) { results = v; return this; }
        public Builder concurrency(ConcurrencyConfig v) { concurrency = v; return this; }
        public Builder maxConcurrency(int c) { concurrency = ConcurrencyConfig.withMaxConcurrency(c); return this; }
        public Builder maxUnfinishedRecords(int v) { maxUnfinishedRecords = v; return this; }
        public Builder maxParkedBytes(long v) { maxParkedBytes = v; return this; }
        public Builder eventLoops(int v) { eventLoops = v; return this; }
        public Builder retry(RetryPolicy v) { retry = v; return this; }
        public Builder dedupeWindow(int v) { dedupeWindow = v; return this; }
        public Builder revocationGrace(Duration v) { revocationGrace = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder outOfTokensPause(Duration v) { outOfTokensPause = v; return this; }
        public Builder circuit(Circuit v) { circuit = v; return this; }
        public Builder budget(BudgetPolicy v) { budget = v; return this; }
        public Builder budgetScope(BudgetScope v) { budgetScope = v; return this; }
        public Builder account(Account v) { account = v; return this; }
        public Builder validation(ValidationLimits v) { validation = v; return this; }
        public Builder ops(String host, int port) { opsHost = host; opsPort = port; return this; }
        public Builder kafkaProperty(String key, String value) { kafkaProperties.put(key, value); return this; }

        public WorkerConfig build() {
            // Four concurrency windows (at least 1,000 records) running or queued behind the limiter.
            int unfinished = maxUnfinishedRecords != null ? maxUnfinishedRecords
                    : Math.max(1_000, 4 * concurrency.maxConcurrency());
            return new WorkerConfig(bootstrapServers, groupId, topics, journal, tracker, results, concurrency, unfinished, maxParkedBytes, eventLoops, retry, dedupeWindow,
                    revocationGrace, shutdownGrace, outOfTokensPause, circuit, budget, budgetScope, givon, account, validation, opsHost,
                    opsPort, kafkaProperties);
        }
    }
}
