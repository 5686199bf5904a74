package dev.troupe.givon.sim;

import io.vertx.core.Vertx;
import java.util.function.UnaryOperator;

/** Simulators started for a test: it names only the settings where it differs from the defaults. */
final class TestSimulators {

    private TestSimulators() {
    }

    /** A started simulator whose time moves only with {@code clock} (a test's manual clock). */
    static GivonSimulator start(Vertx vertx, SimClock clock, UnaryOperator<SimulatorConfig.Builder> settings) {
        return SimHttp.await(GivonSimulator.start(vertx, settings.apply(SimulatorConfig.builder()).build(), clock));
    }

    /** A started simulator on real time, sped up by the configured time compression. */
    static GivonSimulator start(Vertx vertx, UnaryOperator<SimulatorConfig.Builder> settings) {
        return SimHttp.await(GivonSimulator.start(vertx, settings.apply(SimulatorConfig.builder()).build()));
    }
}
