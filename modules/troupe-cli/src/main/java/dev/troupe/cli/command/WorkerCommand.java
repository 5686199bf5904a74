package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.UntilSignal;
import dev.troupe.cli.config.ConfigException;
import dev.troupe.model.DurationText;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.view.Numbers;
import dev.troupe.givon.ApiKey;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.PollStart;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.worker.Worker;
import dev.troupe.worker.WorkerConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe worker}: one worker against a real Kafka and the real Givon (or the simulator), until Ctrl-C. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Run a worker against Kafka and Givon (or the simulator).",
        description = {
            "Consumes the jobs topic, runs each job on Givon within the concurrency limit and the token "
                    + "budget, and publishes one result per job. Configured by config/troupe.yaml (or --config) and "
                    + "TROUPE_* variables. The real Givon needs the API key in GIVON_API_KEY (the variable "
                    + "givon.api-key-env names).",
            "",
            "Ctrl-C or SIGTERM hands over: no new jobs are taken, submissions on the wire get worker.shutdown-grace "
                    + "to be answered, generations at Givon are left (in the journal) for the next worker to follow."},
        footer = {"", "Examples:",
            "  GIVON_API_KEY=... troupe worker --kafka kafka-1:9092",
            "  troupe worker --givon sim --concurrency 16"})
public final class WorkerCommand implements Callable<Integer> {

    /** Which Givon the worker calls. */
    enum GivonTarget { REAL, SIM }

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--givon", paramLabel = "TARGET", defaultValue = "real",
            description = "real: the API at givon.base-url with GIVON_API_KEY; sim: an in-process simulator (default: ${DEFAULT-VALUE}).")
    GivonTarget givon;

    @Option(names = "--sim-speedup", paramLabel = "X", defaultValue = "1000",
            description = "With --givon sim: simulated seconds per real second (default: ${DEFAULT-VALUE}).")
    double simSpeedup;

    @Option(names = "--concurrency", paramLabel = "N", description = "Jobs in flight at most; overrides worker.concurrency.")
    Integer concurrency;

    @Option(names = "--no-tracker", description = "Run no batch tracker in this worker; overrides tracker.enabled.")
    boolean noTracker;

    @Option(names = "--group-id", paramLabel = "ID", description = "Consumer group; overrides worker.group-id.")
    String groupId;

    @Option(names = "--ops-port", paramLabel = "PORT", description = "Port of /metrics and /health/live, /health/ready; overrides worker.ops.port (-1 = off).")
    Integer opsPort;

    public WorkerCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TroupeConfig config = overridden(common.load(context, spec.commandLine().getErr()));
        ApiKey realKey = givon == GivonTarget.REAL ? apiKey(config) : null;
        config.kafka().awaitReachable();
        config.kafka().requireTopics(List.of(config.topics().jobs().name(), config.topics().results().name(),
                config.topics().deadLetter().name()));

        Vertx vertx = Vertx.vertx();
        GivonSimulator simulator = null;
        Worker worker;
        try {
            GivonConfig givonConfig;
            if (realKey != null) {
                givonConfig = givonConfig(config, realKey, config.givon().baseUrl(), config.givon().poll(), config.givon().pollStart());
            } else {
                simulator = GivonSimulator.start(vertx, SimulatorConfig.builder().timeCompression(simSpeedup).build())
                        .await(30, TimeUnit.SECONDS);
                givonConfig = givonConfig(config, ApiKey.of(SimulatorConfig.DEFAULT_API_KEY), simulator.baseUrl(),
                        scaled(config.givon().poll(), simSpeedup), scaled(config.givon().pollStart(), simSpeedup));
            }
            WorkerConfig workerConfig = config.workerConfig(givonConfig);
            worker = Worker.start(vertx, workerConfig);
        } catch (IllegalStateException e) {
            close(simulator, vertx);
            throw new CliFailure(ExitCodes.FAILURE, e.getMessage());
        } catch (RuntimeException e) {
            close(simulator, vertx);
            throw e;
        }
        out.println("Worker running in group " + config.worker().groupId() + ": consuming " + config.topics().jobs().name()
                + " on " + config.kafka().bootstrapServers() + ", at most "
                + Numbers.count(config.worker().concurrency().maxConcurrency(), "job") + " in flight");
        out.println("  Givon:   " + (simulator == null ? config.givon().baseUrl() : simulator.baseUrl() + " (simulator, x"
                + (long) simSpeedup + ")"));
        if (worker.opsPort() > 0) {
            out.println("  metrics: http://" + config.worker().opsHost() + ":" + worker.opsPort() + "/metrics   health: /health/live, /health/ready");
        }
        out.println("Press Ctrl-C to drain and stop.");
        out.flush();
        GivonSimulator started = simulator;
        UntilSignal.await(() -> {
            out.println(config.journal().enabled()
                    ? "Handing over: no new jobs are taken; generations at Givon are left in the journal for the next worker"
                            + " (submissions on the wire get up to " + DurationText.format(config.worker().shutdownGrace())
                            + ", worker.shutdown-grace)."
                    : "Draining: no new jobs are taken; jobs at Givon get up to " + DurationText.format(config.worker().shutdownGrace())
                            + " (worker.shutdown-grace) to finish.");
            out.flush();
            worker.close();
            close(started, vertx);
        });
        return ExitCodes.OK;
    }

    private TroupeConfig overridden(TroupeConfig config) {
        TroupeConfig result = config;
        try {
            if (concurrency != null) {
                result = result.withWorker(result.worker().withConcurrency(concurrency));
            }
            if (groupId != null) {
                result = result.withWorker(result.worker().withGroupId(groupId));
            }
            if (opsPort != null) {
                result = result.withWorker(result.worker().withOps(result.worker().opsHost(), opsPort));
            }
            if (noTracker) {
                result = result.withoutTracker();
            }
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage().replace("maxConcurrency", "--concurrency"));
        }
        return result;
    }

    private ApiKey apiKey(TroupeConfig config) {
        String variable = config.givon().apiKeyEnv();
        String value = context.environment().get(variable);
        if (value == null || value.isBlank()) {
            throw new CliFailure(ExitCodes.INVALID_INPUT, variable + " is not set: the worker needs your Givon API key to call "
                    + config.givon().baseUrl() + ". Export it (export " + variable + "=...), or run against the simulator"
                    + " with --givon sim.");
        }
        try {
            return ApiKey.of(value.trim());
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.INVALID_INPUT, variable + ": " + e.getMessage());
        }
    }

    private static GivonConfig givonConfig(TroupeConfig config, ApiKey key, String baseUrl, PollBackoff poll, PollStart start) {
        try {
            return config.givon().toGivonConfig(key, baseUrl, poll, start);
        } catch (IllegalArgumentException e) {
            throw ConfigException.ofMessage(e.getMessage(), "givon");
        }
    }

    /** Polling paced for a simulator whose time runs {@code speedup} times faster than the real Givon. */
    static PollBackoff scaled(PollBackoff real, double speedup) {
        Duration initial = Duration.ofMillis(Math.max(10, (long) (real.initial().toMillis() / speedup)));
        Duration max = Duration.ofMillis(Math.max(initial.toMillis(), Math.max(50, (long) (real.max().toMillis() / speedup))));
        return new PollBackoff(initial, max, real.multiplier());
    }

    /** The learned start's bounds for the same simulator (a floor of at least 1 ms). */
    static PollStart scaled(PollStart real, double speedup) {
        Duration floor = Duration.ofNanos(Math.max(1_000_000, (long) (real.floor().toNanos() / speedup)));
        Duration ceiling = Duration.ofNanos(Math.max(floor.toNanos(), (long) (real.ceiling().toNanos() / speedup)));
        return new PollStart(real.learn(), floor, ceiling);
    }

    /** One step after the other from this thread: a Vert.x closed from its own callback never reports back. */
    private static void close(GivonSimulator simulator, Vertx vertx) {
        try {
            if (simulator != null) {
                simulator.close().await(10, TimeUnit.SECONDS);
            }
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("troupe: unclean shutdown: " + e);
        }
    }
}
