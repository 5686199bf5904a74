package dev.troupe.cli.command;

import dev.troupe.cli.CliFailure;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.Logging;
import dev.troupe.cli.UntilSignal;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.givon.sim.SimulatorFlags;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code troupe sim}: the Givon simulator on its own, until Ctrl-C. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        header = "Run the Givon simulator standalone, until Ctrl-C.",
        description = {
            "The same API and validation as Givon, with simulated latency, failures, 429s above a concurrency cap, "
                + "a token balance and a ledger at /sim/stats. Point a worker at it with TROUPE_GIVON_BASE_URL and "
                + "GIVON_API_KEY=sim-key. The simulator flags below are passed through as they are."})
public final class SimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Show INFO logs on stderr.")
    boolean verbose;

    @Unmatched
    List<String> flags = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Logging.verbose(verbose);
        PrintWriter out = spec.commandLine().getOut();
        SimulatorConfig config;
        try {
            config = SimulatorFlags.parse(flags.toArray(String[]::new))
                    .orElseThrow(() -> new CliFailure(ExitCodes.USAGE, "see troupe sim --help"));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage() + " (see troupe sim --help)");
        }
        Vertx vertx = Vertx.vertx();
        GivonSimulator simulator;
        try {
            simulator = GivonSimulator.start(vertx, config).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new CliFailure(ExitCodes.FAILURE, "the simulator could not start on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage());
        }
        out.println("Givon simulator listening on " + simulator.baseUrl() + " (" + config.apiKeys().size()
                + " API key(s) accepted; default key " + SimulatorConfig.DEFAULT_API_KEY + ")");
        out.println("  API:    POST " + simulator.baseUrl() + "/api/v1/generations");
        out.println("  ledger: GET  " + simulator.baseUrl() + "/sim/stats");
        out.println("  worker: TROUPE_GIVON_BASE_URL=" + simulator.baseUrl() + " GIVON_API_KEY=" + SimulatorConfig.DEFAULT_API_KEY
                + " troupe worker");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        UntilSignal.await(() -> {
            try {
                simulator.close().await(10, TimeUnit.SECONDS);
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("troupe sim: unclean shutdown: " + e);
            }
        });
        return ExitCodes.OK;
    }
}
