package dev.troupe.cli.config;

import dev.troupe.model.DurationText;
import dev.troupe.client.KafkaConnection;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.PollStart;
import dev.troupe.model.Tokens;
import dev.troupe.model.ValidationLimits;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.limit.ConcurrencyConfig;
import dev.troupe.worker.runner.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads every key of the configuration from a {@link ConfigSource} into a {@link TroupeConfig}. Absent
 * keys take the libraries' own defaults (read from their builders, so this file and the code cannot
 * drift apart); every problem is collected, with its key, before one {@link ConfigException} is thrown.
 */
final class ConfigReader {

    /** The libraries' defaults. The key below is a placeholder for building, never sent anywhere. */
    static final GivonConfig GIVON_DEFAULTS = GivonConfig.builder().apiKey("defaults-only").build();
    static final WorkerConfig WORKER_DEFAULTS = WorkerConfig.builder("127.0.0.1:9092", GIVON_DEFAULTS).build();

    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final Duration DEFAULT_KAFKA_TIMEOUT = KafkaConnection.DEFAULT_TIMEOUT;
    static final int DEFAULT_OPS_PORT = 9464;
    static final String DEFAULT_API_KEY_ENV = "GIVON_API_KEY";
    static final int DEFAULT_PARTITIONS = 12;

    record Read(TroupeConfig config, List<String> warnings) {
    }

    private final ConfigSource source;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> known = new HashSet<>();

    private ConfigReader(ConfigSource source) {
        this.source = source;
    }

    static Read read(ConfigSource source) {
        ConfigReader reader = new ConfigReader(source);
        TroupeConfig config = reader.config();
        reader.unknownKeys();
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        List<String> warnings = source.unusedEnvironment().stream()
                .map(name -> name + " is set but names no configuration key (see config/troupe.yaml); ignored")
                .toList();
        return new Read(config, warnings);
    }

    private TroupeConfig config() {
        KafkaConnection kafka = kafka();
        TopicsConfig topics = topics();
        WorkerConfig.Journal journal = journal(topics);
        WorkerConfig.Tracker tracker = tracker();
        WorkerConfig.Results results = results();
        WorkerSettings worker = worker();
        BudgetPolicy budget = budget();
        GivonSettings givon = givon();
        ValidationLimits validation = attempt("validation", () -> new ValidationLimits(
                integer("validation.max-data-uri-bytes", ValidationLimits.DEFAULTS.maxDataUriBytes()),
                integer("validation.max-record-bytes", ValidationLimits.DEFAULTS.maxRecordBytes())),
                ValidationLimits.DEFAULTS, ConfigNames::validation);
        WorkerConfig.BudgetScope budgetScope = choice("budget.scope", WorkerConfig.BudgetScope.class, WorkerConfig.BudgetScope.FLEET);
        DashboardSettings dashboard = dashboard();
        TroupeConfig config = new TroupeConfig(kafka, topics, journal, tracker, results, worker, budget, budgetScope, givon, validation,
                dashboard);
        if (problems.isEmpty()) {
            // Cross-key rules of the worker (e.g. max-unfinished-records >= concurrency) fail now, not at start-up.
            try {
                config.workerConfig(GIVON_DEFAULTS);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        return config;
    }

    private KafkaConnection kafka() {
        Map<String, String> properties = new LinkedHashMap<>();
        String bootstrap = DEFAULT_BOOTSTRAP;
        for (Map.Entry<String, ConfigSource.Value> property : source.kafkaProperties().entrySet()) {
            ConfigSource.Value value = property.getValue();
            if (property.getKey().equals("bootstrap.servers")) {
                bootstrap = value.text().trim();
                continue;
            }
            Optional<String> refused = KafkaClientProperties.problem(property.getKey(), value.text(), value.fromEnvironment());
            if (refused.isPresent()) {
                problems.add(new ConfigProblem("kafka." + property.getKey(), value.origin(), refused.get()));
            } else {
                properties.put(property.getKey(), value.text());
            }
        }
        Duration timeout = duration("cli.kafka-timeout", DEFAULT_KAFKA_TIMEOUT);
        String servers = bootstrap;
        return attempt("kafka.bootstrap.servers", () -> new KafkaConnection(servers, properties, timeout),
                new KafkaConnection(DEFAULT_BOOTSTRAP, properties, DEFAULT_KAFKA_TIMEOUT), Function.identity());
    }

    private TopicsConfig topics() {
        int replication = integer("topics.replication-factor", -1);
        TopicSpec jobs = topic("jobs", "troupe.jobs", DEFAULT_PARTITIONS, Duration.ofDays(7), false);
        TopicSpec results = topic("results", "troupe.results", DEFAULT_PARTITIONS, Duration.ofDays(30), false);
        TopicSpec progress = topic("progress", "troupe.progress", DEFAULT_PARTITIONS, Duration.ofDays(1), false);
        // The journal of jobs partition p is state partition p: auto (the default) follows the jobs topic.
        TopicSpec state = topic("state", "troupe.state", jobs.partitions(), null, true);
        // The fleet's budget log: time-ordered by the broker's clock, kept for longer than any window (checked at start).
        TopicSpec budget = topic("budget", "troupe.budget", DEFAULT_PARTITIONS, Duration.ofDays(35), false).withBrokerTime();
        TopicSpec dlq = topic("dlq", "troupe.dlq", 1, Duration.ofDays(30), false);
        // The operators' commands: every worker reads all of it; one partition keeps them in one order.
        TopicSpec control = topic("control", "troupe.control", 1, null, true);
        // Batch descriptors and completions, key = batchId: kept as long as the results they sum up.
        TopicSpec batches = topic("batches", "troupe.batches", DEFAULT_PARTITIONS, Duration.ofDays(30), false);
        return attempt("topics.replication-factor", () -> new TopicsConfig(replication, jobs, results, progress, state, budget, dlq,
                control, batches), new TopicsConfig(-1, jobs, results, progress, state, budget, dlq, control, batches),
                message -> "topics." + message);
    }

    private TopicSpec topic(String role, String name, int partitions, Duration retention, boolean compacted) {
        String prefix = "topics." + role + ".";
        String topicName = text(prefix + "name", name);
        int count = role.equals("state") && text(prefix + "partitions", "auto").equalsIgnoreCase("auto") ? partitions
                : integer(prefix + "partitions", partitions);
        Duration keep = compacted ? null : retention(prefix + "retention", retention);
        return attempt(prefix + "name", () -> new TopicSpec(topicName, count, keep, compacted),
                new TopicSpec(name, partitions, retention, compacted), message -> prefix + message);
    }

    private WorkerConfig.Journal journal(TopicsConfig topics) {
        WorkerConfig.Journal defaults = WORKER_DEFAULTS.journal();
        boolean enabled = flag("journal.enabled", defaults.enabled());
        Duration retention = duration("journal.retention", defaults.retention());
        if (enabled && topics.state().partitions() != topics.jobs().partitions()) {
            problems.add(new ConfigProblem("topics.state.partitions", source.get("topics.state.partitions")
                    .map(ConfigSource.Value::origin).orElse(null), "must equal topics.jobs.partitions (" + topics.jobs().partitions()
                    + ") while journal.enabled is true, got " + topics.state().partitions()
                    + ": the journal of jobs partition p is state partition p; auto follows topics.jobs.partitions"));
        }
        return attempt("journal.retention", () -> new WorkerConfig.Journal(enabled, retention), defaults, Function.identity());
    }

    private WorkerConfig.Tracker tracker() {
        WorkerConfig.Tracker defaults = WORKER_DEFAULTS.tracker();
        boolean enabled = flag("tracker.enabled", defaults.enabled());
        String dir = text("tracker.state-dir", "");
        Duration retention = duration("tracker.retention", defaults.retention());
        return attempt("tracker.retention", () -> new WorkerConfig.Tracker(enabled, dir.isEmpty() ? null : java.nio.file.Path.of(dir),
                retention), defaults, Function.identity());
    }

    private WorkerConfig.Results results() {
        WorkerConfig.Results defaults = WORKER_DEFAULTS.results();
        WorkerConfig.Delivery delivery = choice("results.delivery", WorkerConfig.Delivery.class, defaults.delivery());
        Duration interval = duration("results.commit-interval", defaults.commitInterval());
        int maxOutcomes = integer("results.commit-max-outcomes", defaults.commitMaxOutcomes());
        Duration timeout = duration("results.transaction-timeout", defaults.transactionTimeout());
        return attempt("results.delivery", () -> new WorkerConfig.Results(delivery, interval, maxOutcomes, timeout), defaults,
                Function.identity());
    }

    private WorkerSettings worker() {
        ConcurrencyConfig defaults = WORKER_DEFAULTS.concurrency();
        int concurrency = integer("worker.concurrency", defaults.maxConcurrency());
        double decrease = decimal("worker.aimd.decrease-factor", defaults.decreaseFactor());
        int increase = integer("worker.aimd.additive-increase", defaults.additiveIncrease());
        Duration minDecrease = duration("worker.aimd.min-decrease-interval", defaults.minDecreaseInterval());
        Duration maxPause = duration("worker.aimd.max-pause", defaults.maxPause());
        ConcurrencyConfig limiter = attempt("worker.concurrency",
                () -> new ConcurrencyConfig(concurrency, decrease, increase, minDecrease, maxPause), defaults, ConfigNames::concurrency);

        RetryPolicy retryDefaults = WORKER_DEFAULTS.retry();
        int attempts = integer("worker.retry.max-attempts", retryDefaults.maxAttempts());
        Duration initial = duration("worker.retry.initial-backoff", retryDefaults.initialBackoff());
        Duration max = duration("worker.retry.max-backoff", retryDefaults.maxBackoff());
        RetryPolicy retry = attempt("worker.retry", () -> new RetryPolicy(attempts, initial, max), retryDefaults, ConfigNames::worker);

        Integer unfinished = null;
        String unfinishedText = text("worker.max-unfinished-records", "auto");
        if (!unfinishedText.equalsIgnoreCase("auto")) {
            unfinished = integer("worker.max-unfinished-records", 0);
        }
        int failureThreshold = integer("worker.circuit.failure-threshold", WORKER_DEFAULTS.circuit().failureThreshold());
        Duration probeInterval = duration("worker.circuit.probe-interval", WORKER_DEFAULTS.circuit().probeInterval());
        WorkerConfig.Circuit circuit = attempt("worker.circuit", () -> new WorkerConfig.Circuit(failureThreshold, probeInterval),
                WORKER_DEFAULTS.circuit(), Function.identity());
        return new WorkerSettings(
                text("worker.group-id", WORKER_DEFAULTS.groupId()),
                limiter,
                unfinished,
                longInteger("worker.max-parked-bytes", WORKER_DEFAULTS.maxParkedBytes()),
                integer("worker.event-loops", WORKER_DEFAULTS.eventLoops()),
                integer("worker.dedupe-window", WORKER_DEFAULTS.dedupeWindow()),
                duration("worker.revocation-grace", WORKER_DEFAULTS.revocationGrace()),
                duration("worker.shutdown-grace", WORKER_DEFAULTS.shutdownGrace()),
                duration("worker.out-of-tokens-pause", WORKER_DEFAULTS.outOfTokensPause()),
                circuit,
                retry,
                text("worker.ops.host", WORKER_DEFAULTS.opsHost()),
                integer("worker.ops.port", DEFAULT_OPS_PORT));
    }

    static final DashboardSettings DASHBOARD_DEFAULTS = new DashboardSettings("127.0.0.1", 8070, "TROUPE_DASHBOARD_TOKEN",
            List.of(java.net.URI.create("http://127.0.0.1:" + DEFAULT_OPS_PORT + "/metrics")), 200_000, 1_000);

    private DashboardSettings dashboard() {
        DashboardSettings d = DASHBOARD_DEFAULTS;
        List<java.net.URI> metrics = parse("dashboard.metrics", d.metrics(), text -> Arrays.stream(text.split(","))
                .map(String::trim).filter(item -> !item.isEmpty()).map(java.net.URI::create).toList(),
                "a comma-separated list of URLs such as http://127.0.0.1:9464/metrics, or \"\" for none");
        String host = text("dashboard.host", d.host());
        int port = integer("dashboard.port", d.port());
        String tokenEnv = text("dashboard.token-env", d.tokenEnv());
        int maxResults = integer("dashboard.max-results", d.maxResults());
        int maxBatches = integer("dashboard.max-batches", d.maxBatches());
        return attempt("dashboard", () -> new DashboardSettings(host, port, tokenEnv, metrics, maxResults, maxBatches), d,
                Function.identity());
    }

    private BudgetPolicy budget() {
        BudgetRule unlimited = BudgetPolicy.unlimited().defaultRule();
        BudgetRule defaultRule = rule("budget.default", unlimited);
        Map<String, BudgetRule> tenants = new LinkedHashMap<>();
        for (String tenant : source.childrenInFile("budget.tenants")) {
            tenants.put(tenant, rule("budget.tenants." + tenant, null));
        }
        return attempt("budget.tenants", () -> new BudgetPolicy(tenants, defaultRule), BudgetPolicy.unlimited(),
                message -> "budget." + message);
    }

    private BudgetRule rule(String prefix, BudgetRule defaults) {
        Tokens limit = tokens(prefix + ".limit", defaults == null ? null : defaults.limit());
        Duration window = duration(prefix + ".window", defaults == null ? Duration.ofDays(1) : defaults.window());
        ExhaustionPolicy policy = choice(prefix + ".on-exhausted", ExhaustionPolicy.class,
                defaults == null ? ExhaustionPolicy.WAIT : defaults.onExhausted());
        if (limit == null) {
            problems.add(new ConfigProblem(prefix + ".limit", null, "required: tokens per window, e.g. 50000"));
            return BudgetPolicy.unlimited().defaultRule();
        }
        return attempt(prefix, () -> new BudgetRule(limit, window, policy), BudgetPolicy.unlimited().defaultRule(),
                message -> prefix + "." + message);
    }

    private GivonSettings givon() {
        GivonConfig d = GIVON_DEFAULTS;
        PollBackoff pollDefaults = d.pollBackoff();
        Duration pollInitial = duration("givon.poll.initial", pollDefaults.initial());
        Duration pollMax = duration("givon.poll.max", pollDefaults.max());
        double multiplier = decimal("givon.poll.multiplier", pollDefaults.multiplier());
        PollBackoff poll = attempt("givon.poll", () -> new PollBackoff(pollInitial, pollMax, multiplier), pollDefaults,
                ConfigNames::givon);
        PollStart startDefaults = d.pollStart();
        boolean learnStart = flag("givon.poll.start.learn", startDefaults.learn());
        Duration startFloor = duration("givon.poll.start.floor", startDefaults.floor());
        Duration startCeiling = duration("givon.poll.start.ceiling", startDefaults.ceiling());
        PollStart start = attempt("givon.poll.start", () -> new PollStart(learnStart, startFloor, startCeiling), startDefaults,
                ConfigNames::givon);
        // Lists are comma-separated text (the file has no YAML lists); "" is the empty list.
        Function<String, List<String>> items = text -> Arrays.stream(text.split(",")).map(String::trim)
                .filter(item -> !item.isEmpty()).toList();
        GivonSettings settings = new GivonSettings(
                text("givon.base-url", d.baseUrl()),
                text("givon.api-key-env", DEFAULT_API_KEY_ENV),
                text("givon.submit-path", d.submitPath()),
                text("givon.status-path", d.statusPath()),
                duration("givon.connect-timeout", d.connectTimeout()),
                duration("givon.response-timeout", d.responseTimeout()),
                duration("givon.request-timeout", d.requestTimeout()),
                integer("givon.max-pool-size", d.maxPoolSize()),
                poll,
                start,
                duration("givon.follow-deadline", d.defaultFollowDeadline()),
                duration("givon.default-retry-after", d.defaultRetryAfter()),
                duration("givon.min-retry-after", d.minRetryAfter()),
                duration("givon.max-retry-after", d.maxRetryAfter()),
                choice("givon.idempotency", GivonConfig.Idempotency.class, d.idempotency()),
                parse("givon.out-of-credit.statuses", d.outOfCreditStatuses(),
                        text -> items.apply(text).stream().map(Integer::valueOf).collect(Collectors.toSet()),
                        "a comma-separated list of HTTP statuses such as 402, or \"\" for none"),
                parse("givon.out-of-credit.codes", d.outOfCreditCodes(), text -> Set.copyOf(items.apply(text)),
                        "a comma-separated list of error codes such as 1101, 1102, or \"\" for none"),
                parse("givon.concurrency-limit-codes", d.concurrencyLimitCodes(), text -> Set.copyOf(items.apply(text)),
                        "a comma-separated list of error codes such as 1303, or \"\" for none"),
                account());
        // Validated now with a placeholder key, so a bad URL fails at start and not at the first job.
        attempt("givon", () -> settings.toGivonConfig(dev.troupe.givon.ApiKey.of("validation-only")), null, Function.identity());
        return settings;
    }

    private WorkerConfig.Account account() {
        WorkerConfig.Account none = WorkerConfig.Account.UNLIMITED;
        int maxInFlight = integer("givon.max-in-flight", none.maxInFlight());
        double submissions = decimal("givon.max-submissions-per-second", none.submissionsPerSecond());
        double statusReads = decimal("givon.max-status-reads-per-second", none.statusReadsPerSecond());
        return attempt("givon", () -> new WorkerConfig.Account(maxInFlight, submissions, statusReads), none, Function.identity());
    }

    private void unknownKeys() {
        for (String key : source.fileKeys()) {
            if (key.startsWith("kafka.") || known.contains(key)) {
                continue;
            }
            String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            List<String> siblings = known.stream().filter(k -> k.startsWith(section + ".")).sorted().toList();
            problems.add(new ConfigProblem(key, source.get(key).map(ConfigSource.Value::origin).orElse(null),
                    siblings.isEmpty() ? "unknown key" : "unknown key; known keys here: " + String.join(", ", siblings)));
        }
    }

    // Typed readers: each records its key as known, and on a bad value records a problem and returns the default.

    private String text(String key, String fallback) {
        return value(key).map(v -> v.text().trim()).orElse(fallback);
    }

    private int integer(String key, int fallback) {
        return parse(key, fallback, text -> Integer.parseInt(text.trim()), "a whole number");
    }

    private long longInteger(String key, long fallback) {
        return parse(key, fallback, text -> Long.parseLong(text.trim()), "a whole number");
    }

    private boolean flag(String key, boolean fallback) {
        return parse(key, fallback, text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(text);
        }, "true or false");
    }

    private double decimal(String key, double fallback) {
        return parse(key, fallback, text -> Double.parseDouble(text.trim()), "a number");
    }

    private Duration duration(String key, Duration fallback) {
        return parse(key, fallback, DurationText::parse, "a duration such as 30s, 5m or 1d");
    }

    /** A duration, or {@code forever}. */
    private Duration retention(String key, Duration fallback) {
        return parse(key, fallback, text -> text.trim().equalsIgnoreCase("forever") ? null : DurationText.parse(text),
                "a duration such as 7d, or forever");
    }

    /** A decimal amount of tokens, or {@code unlimited}. */
    private Tokens tokens(String key, Tokens fallback) {
        return parse(key, fallback, text -> text.trim().equalsIgnoreCase("unlimited") ? BudgetPolicy.UNLIMITED : Tokens.parse(text),
                "a token amount such as 50000 or 52.5, or unlimited");
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return parse(key, fallback, text -> Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_')),
                "one of " + String.join(", ", names));
    }

    private <T> T parse(String key, T fallback, Function<String, T> parser, String expected) {
        Optional<ConfigSource.Value> value = value(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return parser.apply(value.get().text());
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(key, value.get().origin(), "must be " + expected + ", got '" + value.get().text() + "'"));
            return fallback;
        }
    }

    private Optional<ConfigSource.Value> value(String key) {
        known.add(key);
        return source.get(key);
    }

    /** Builds a typed object; its validation message, renamed to configuration keys, becomes a problem. */
    private <T> T attempt(String key, Supplier<T> build, T fallback, Function<String, String> rename) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = rename.apply(e.getMessage());
            String named = ConfigNames.keyIn(message, key);
            problems.add(new ConfigProblem(named, source.get(named).map(ConfigSource.Value::origin).orElse(null), message));
            return fallback;
        }
    }
}
