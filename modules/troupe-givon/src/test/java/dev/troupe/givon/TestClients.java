package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.succeeded;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.ModelCatalog;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Clients and simulators as these tests build them: a test names its base URL, key and jitter seed,
 * and only the settings where it differs. The catalog is the built-in one and the client's clock the
 * system's, as in every test here.
 */
final class TestClients {

    private TestClients() {
    }

    /** A client of {@code baseUrl} with {@code apiKey} and a jitter seed; {@code settings} adds the rest. */
    static GivonClient client(Vertx vertx, String baseUrl, String apiKey, long seed,
            UnaryOperator<GivonConfig.Builder> settings) {
        GivonConfig config = settings.apply(GivonConfig.builder().baseUrl(baseUrl).apiKey(apiKey)).build();
        return GivonClient.create(vertx, config, ModelCatalog.builtIn(), Clock.systemUTC(), new Random(seed));
    }

    /** A started simulator whose time moves only with {@code clock} (a test's manual clock). */
    static GivonSimulator simulator(Vertx vertx, SimClock clock, UnaryOperator<SimulatorConfig.Builder> settings) {
        return succeeded(GivonSimulator.start(vertx, settings.apply(SimulatorConfig.builder()).build(), clock));
    }

    /** A started simulator on real time, sped up by the configured time compression. */
    static GivonSimulator simulator(Vertx vertx, UnaryOperator<SimulatorConfig.Builder> settings) {
        return succeeded(GivonSimulator.start(vertx, settings.apply(SimulatorConfig.builder()).build()));
    }

    /** Closes the simulator, then the Vert.x it ran on. */
    static void stop(GivonSimulator simulator, Vertx vertx) {
        succeeded(simulator.close());
        succeeded(vertx.close());
    }
}
