package dev.troupe.givon.sim;

import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a {@link GivonSimulator} on its own until the process is killed. See {@link SimulatorFlags#usage()}. */
public final class GivonSimulatorMain {

    private GivonSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        Optional<SimulatorConfig> config;
        try {
            config = SimulatorFlags.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("givon-sim: " + e.getMessage());
            System.err.println(SimulatorFlags.usage());
            System.exit(2);
            return;
        }
        if (config.isEmpty()) {
            System.out.println(SimulatorFlags.usage());
            return;
        }
        Vertx vertx = Vertx.vertx();
        GivonSimulator simulator;
        try {
            // The main thread is not an event loop: waiting here blocks nothing of Vert.x.
            simulator = GivonSimulator.start(vertx, config.get()).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("givon-sim: could not start: " + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Two awaits from this thread: closing Vert.x from inside its own future's callback hangs.
                simulator.close().await(5, TimeUnit.SECONDS);
                vertx.close().await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("givon-sim: unclean shutdown: " + e.getMessage());
            }
        }, "givon-sim-shutdown"));
        System.out.println("Givon simulator listening on " + simulator.baseUrl());
        System.out.println("  API:   POST " + simulator.baseUrl() + "/api/v1/generations ("
                + config.get().apiKeys().size() + " API key(s) accepted)");
        System.out.println("  stats: GET  " + simulator.baseUrl() + "/sim/stats");
        // Vert.x's event-loop threads keep the JVM alive until it is killed.
    }
}
