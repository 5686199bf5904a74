package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.DurationConverter;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.SignalGuard;
import dev.troupe.cli.UntilSignal;
import dev.troupe.model.DurationText;
import dev.troupe.cli.config.TopicSpec;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.config.WorkerSettings;
import dev.troupe.cli.dashboard.Dashboard;
import dev.troupe.cli.demo.DemoChoreography;
import dev.troupe.cli.demo.DemoStack;
import dev.troupe.cli.kafka.TopicProvisioner;
import dev.troupe.cli.view.Numbers;
import dev.troupe.client.BatchRecords;
import dev.troupe.client.JobSubmitter;
import dev.troupe.client.KafkaConnection;
import dev.troupe.client.manifest.BatchPlan;
import dev.troupe.client.manifest.ManifestExpander;
import dev.troupe.client.results.BatchStates;
import dev.troupe.client.results.WatchOutcome;
import dev.troupe.client.results.WatchRequest;
import dev.troupe.givon.ApiKey;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.sim.GenerationTime;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.kafka.embedded.EmbeddedKafkaBroker;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.Tokens;
import dev.troupe.worker.Worker;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.limit.ConcurrencyConfig;
import dev.troupe.worker.runner.RetryPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import dev.troupe.cli.LatencyConverter;
import dev.troupe.cli.TokensConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe demo}: the whole pipeline in one JVM on a sample choreography batch. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Run the whole pipeline in this JVM on a sample choreography batch.",
        description = {
            "Starts an in-JVM Kafka broker (in a temporary directory), the Givon simulator and one worker, "
                    + "creates the topics, sends a sample batch (6 characters x 8 dances = 48 jobs by default, https "
                    + "sample assets on a made-up host: nothing leaves the machine), shows live progress and prints a "
                    + "summary read back from the results topic.",
            "",
            "With --kafka it uses that Kafka (and the topics of the configuration) instead of its own broker; its "
                    + "worker has a group of its own, but do not point it at topics real workers consume."},
        footer = {"", "Examples:",
            "  troupe demo",
            "  troupe demo --jobs 200 --concurrency 32 --failure-rate 0.1",
            "  troupe demo --budget 500            (jobs beyond 500 tokens are REJECTED)",
            "  troupe demo --keep-running          (then try troupe watch / batch / submit against it)"})
public final class DemoCommand implements Callable<Integer> {

    static final int MAX_JOBS = 10_000;

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "48", description = "Jobs in the sample batch, 1..10000 (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "The worker's concurrency limit (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--budget", paramLabel = "TOKENS", converter = TokensConverter.class,
            description = "Token budget of the batch's tenant; jobs beyond it are REJECTED (default: unlimited).")
    Tokens budget;

    @Option(names = "--failure-rate", paramLabel = "P", defaultValue = "0.05",
            description = "Probability that a simulated generation fails, 0..1 (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--latency", paramLabel = "MIN..MAX", converter = LatencyConverter.class, defaultValue = "60s..120s",
            description = "Simulated generation time, as Givon would take it (default: ${DEFAULT-VALUE}).")
    GenerationTime latency;

    @Option(names = "--speedup", paramLabel = "X", defaultValue = "100",
            description = "Simulated seconds per real second (default: ${DEFAULT-VALUE}: a 90 s generation takes 0.9 s).")
    double speedup;

    @Option(names = "--batch", paramLabel = "ID", description = "The batchId (default: demo-<random>).")
    String batchId;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the simulator's randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5m",
            description = "Give up if the batch is not done by then (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--keep-running", description = "Leave Kafka, the simulator and the worker running for other commands, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--dashboard-port", paramLabel = "N", description = "Port of the dashboard, 0 = any free one (default: "
            + "dashboard.port, 8070, or any free one when that is taken).")
    Integer dashboardPort;

    @Option(names = "--dashboard-actions", description = "Let the dashboard cancel, retry, pause and resume (default: read-only).")
    boolean dashboardActions;

    @Option(names = "--no-dashboard", description = "Do not start the dashboard.")
    boolean noDashboard;

    public DemoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        TroupeConfig config = common.load(context, spec.commandLine().getErr());
        String batch = batchId != null ? batchId : "demo-" + UUID.randomUUID().toString().substring(0, 6);
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        BatchPlan plan = new ManifestExpander(codec).expand(DemoChoreography.manifest(batch, jobs));

        out.println("troupe demo: " + Numbers.count(plan.size(), "job") + " on "
                + (common.kafkaGiven() ? "Kafka at " + config.kafka().bootstrapServers()
                : "an in-JVM Kafka") + ", a simulated Givon and one worker");
        out.println();
        // On Ctrl-C the JVM exits once its hooks return: hold it until the broker and its directory are gone.
        try (SignalGuard guard = SignalGuard.holdExitUntilClosed()) {
            DemoStack stack = new DemoStack();
            boolean handedOver = false;
            try {
                config = kafka(stack, config, out, batch);
                TroupeConfig ready = config;
                step(out, "Topics", () -> {
                    TopicProvisioner.create(ready.kafka(), ready.topics());
                    return ready.topics().all().stream().map(TopicSpec::name).collect(Collectors.joining(", "));
                });
                GivonSimulator simulator = stack.startSimulator(SimulatorConfig.builder().generationTime(latency).timeCompression(speedup)
                        .failureRate(failureRate).seed(seed).build());
                out.printf(Locale.ROOT, "  %-8s simulator at %s: generations take %s..%s, run x%s faster, %s%% fail%n", "Givon",
                        simulator.baseUrl(), DurationText.format(latency.min()), DurationText.format(latency.max()),
                        Numbers.rate(speedup), Numbers.rate(failureRate * 100));
                Worker worker = stack.startWorker(ready.workerConfig(givon(ready, simulator)));
                out.printf(Locale.ROOT, "  %-8s concurrency %d, budget %s%n", "Worker", concurrency,
                        budget == null ? "unlimited" : Numbers.tokens(budget) + " tokens (then REJECTED)");
                String dashboardUrl = null;
                if (!noDashboard) {
                    Dashboard dashboard = stack.startDashboard(dashboardPort == null ? ready
                            : ready.withDashboard(ready.dashboard().withPort(dashboardPort)), dashboardActions);
                    dashboardUrl = dashboard.url();
                    out.printf(Locale.ROOT, "  %-8s %s%s%n", "Dashboard", dashboardUrl, dashboardActions ? " (actions on)" : "");
                }
                // Its descriptor first, as troupe batch sends it: the dashboard and the tracker know the batch's size and estimate.
                BatchRecords.send(ready.kafka(), ready.topics().batches().name(), new BatchDescriptor(batch, plan.tenant(), plan.size(),
                        plan.totalTokens(), java.time.Instant.now()));
                try (JobSubmitter submitter = JobSubmitter.create(ready.kafka(), ready.topics().jobs().name(), codec)) {
                    submitter.submitAll(plan.motionJobs());
                }
                out.printf(Locale.ROOT, "  %-8s %s: %s, %s tokens estimated, sent to %s%n%n", "Batch", batch,
                        Numbers.count(plan.size(), "job"),
                        Numbers.tokens(plan.totalTokens()), ready.topics().jobs().name());
                out.flush();

                WatchOutcome outcome = WatchSession.watchBatch(ready, context, out,
                        WatchRequest.untilComplete(batch, plan.jobIds()).withTimeout(timeout), codec,
                        new BatchStates(batch, WatchSession.runsOf(plan.motionJobs())),
                        seen -> "Batch " + batch + ": " + seen.results().size() + " of " + plan.size() + " "
                                + Numbers.noun(plan.size(), "result") + ", read back from " + ready.topics().results().name());
                printLedger(out, simulator.ledger().snapshot());
                if (outcome.ending() == WatchOutcome.Ending.STOPPED) {
                    throw new CliFailure(ExitCodes.FAILURE, "the demo was stopped (" + outcome.results().size() + " of "
                            + plan.size() + " " + Numbers.noun(plan.size(), "result") + " after "
                            + Numbers.duration(outcome.progress().elapsed()) + ")");
                }
                if (outcome.ending() != WatchOutcome.Ending.COMPLETE) {
                    throw new CliFailure(ExitCodes.FAILURE, "the demo stopped before every job had a result (" + outcome.results().size()
                            + " of " + plan.size() + " after " + Numbers.duration(outcome.progress().elapsed())
                            + "); rerun with --verbose to see the worker's logs");
                }
                out.println("  Done in " + Numbers.seconds(Duration.ofNanos(System.nanoTime() - started)) + ".");
                out.flush();
                if (keepRunning) {
                    handedOver = true;
                    keepRunning(out, ready, simulator, worker, batch, stack, dashboardUrl);
                }
                return ExitCodes.OK;
            } finally {
                if (!handedOver) {
                    stack.close();
                }
            }
        }
    }

    /** Every option's rule, before anything starts: a broker is not started for a demo that cannot run. */
    private void checkOptions() {
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new CliFailure(ExitCodes.USAGE, "--jobs must be 1.." + MAX_JOBS + ", got " + jobs);
        }
        if (concurrency < 1 || concurrency > ConcurrencyConfig.MAX_CONCURRENCY_CEILING) {
            throw new CliFailure(ExitCodes.USAGE, "--concurrency must be 1.." + ConcurrencyConfig.MAX_CONCURRENCY_CEILING
                    + " (jobs in flight at once), got " + concurrency);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new CliFailure(ExitCodes.USAGE, "--failure-rate must be between 0 and 1, got " + failureRate);
        }
        if (dashboardPort != null && (dashboardPort < 0 || dashboardPort > 65_535)) {
            throw new CliFailure(ExitCodes.USAGE, "--dashboard-port must be 0..65535 (0 = any free port), got " + dashboardPort);
        }
        if (noDashboard && (dashboardPort != null || dashboardActions)) {
            throw new CliFailure(ExitCodes.USAGE, "--no-dashboard leaves out the dashboard: drop --dashboard-port and --dashboard-actions");
        }
        if (!(speedup >= 1) || Double.isInfinite(speedup)) {
            throw new CliFailure(ExitCodes.USAGE, "--speedup must be at least 1, got " + speedup);
        }
    }

    /** The embedded broker (or the external Kafka), and the demo's own worker settings. */
    private TroupeConfig kafka(DemoStack stack, TroupeConfig config, PrintWriter out, String batch) {
        TroupeConfig result = config;
        if (common.kafkaGiven()) {
            KafkaConnection kafka = config.kafka();
            step(out, "Kafka", () -> {
                kafka.awaitReachable();
                return "at " + kafka.bootstrapServers();
            });
        } else {
            EmbeddedKafkaBroker broker = step(out, "Kafka", () -> stack.startBroker(keepRunning ? configuredPort(config) : 0),
                    b -> "in-JVM broker at " + b.bootstrapServers());
            result = result.withBootstrapServers(broker.bootstrapServers());
        }
        WorkerSettings worker;
        try {
            worker = result.worker().withConcurrency(concurrency)
                    .withGroupId("troupe-demo-" + batch.replaceAll("[^A-Za-z0-9._-]", "_"))
                    .withOps("127.0.0.1", keepRunning || !noDashboard ? 0 : -1)
                    .withRetry(new RetryPolicy(result.worker().retry().maxAttempts(), Duration.ofMillis(20), Duration.ofMillis(500)))
                    .withGraces(Duration.ofSeconds(10), Duration.ofSeconds(10));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "--concurrency: " + e.getMessage());
        }
        BudgetPolicy policy = budget == null ? BudgetPolicy.unlimited()
                : BudgetPolicy.shared(budgetRule(budget));
        return result.withWorker(worker).withBudget(policy);
    }

    private static BudgetRule budgetRule(Tokens limit) {
        try {
            return new BudgetRule(limit, Duration.ofDays(1), ExhaustionPolicy.REJECT);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "--budget: " + e.getMessage());
        }
    }

    private GivonConfig givon(TroupeConfig config, GivonSimulator simulator) {
        return config.givon().toGivonConfig(ApiKey.of(SimulatorConfig.DEFAULT_API_KEY), simulator.baseUrl(),
                WorkerCommand.scaled(config.givon().poll(), speedup), WorkerCommand.scaled(config.givon().pollStart(), speedup));
    }

    private static int configuredPort(TroupeConfig config) {
        String servers = config.kafka().bootstrapServers();
        if (servers.contains(",")) {
            return 0;
        }
        int colon = servers.lastIndexOf(':');
        String host = colon < 0 ? "" : servers.substring(0, colon);
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            return 0;
        }
        try {
            return Integer.parseInt(servers.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void printLedger(PrintWriter out, LedgerSnapshot ledger) {
        out.println();
        out.println("  Givon simulator's ledger: " + Numbers.count(ledger.generationsCreated(), "generation") + " created, "
                + Numbers.tokens(ledger.tokensCharged()) + " tokens charged; "
                + (ledger.maxGenerationsForOneKey() <= 1 ? "no job was submitted twice."
                        : "a job was submitted " + ledger.maxGenerationsForOneKey() + " times!"));
    }

    private void keepRunning(PrintWriter out, TroupeConfig config, GivonSimulator simulator, Worker worker, String batch,
            DemoStack stack, String dashboardUrl) throws InterruptedException {
        String kafka = config.kafka().bootstrapServers();
        boolean atDefault = kafka.equals(TroupeConfig.defaults().kafka().bootstrapServers());
        String flag = atDefault ? "" : " --kafka " + kafka;
        out.println();
        out.println("Still running (--keep-running):");
        out.println("  Kafka    " + kafka + (common.kafkaGiven() ? "" : " (in this JVM; its data is deleted on exit)"));
        out.println("  Givon    " + simulator.baseUrl() + " (simulator, API key " + SimulatorConfig.DEFAULT_API_KEY + ")");
        out.println("  Worker   group " + config.worker().groupId()
                + (worker.opsPort() > 0 ? ", metrics http://127.0.0.1:" + worker.opsPort() + "/metrics" : ""));
        if (dashboardUrl != null) {
            out.println("  Dashboard " + dashboardUrl);
        }
        out.println("Try, in another terminal:");
        out.println("  ./troupe watch --batch " + batch + flag);
        out.println("  ./troupe batch config/examples/choreography.yaml --watch" + flag);
        out.println("  TROUPE_GIVON_BASE_URL=" + simulator.baseUrl() + " GIVON_API_KEY=" + SimulatorConfig.DEFAULT_API_KEY
                + " ./troupe worker --group-id " + config.worker().groupId() + " --ops-port 0" + flag + "   (a second worker)");
        out.println("Press Ctrl-C to stop everything.");
        out.flush();
        UntilSignal.await(stack::close);
    }

    private static <T> T step(PrintWriter out, String name, java.util.function.Supplier<T> action,
            java.util.function.Function<T, String> describe) {
        long start = System.nanoTime();
        T value = action.get();
        out.printf(Locale.ROOT, "  %-8s %s (%s)%n", name, describe.apply(value), Numbers.seconds(Duration.ofNanos(System.nanoTime() - start)));
        out.flush();
        return value;
    }

    private static String step(PrintWriter out, String name, java.util.function.Supplier<String> action) {
        return step(out, name, action, text -> text);
    }
}
