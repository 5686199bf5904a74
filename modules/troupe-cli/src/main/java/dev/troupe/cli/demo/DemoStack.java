package dev.troupe.cli.demo;

import dev.troupe.cli.config.DashboardSettings;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.dashboard.Dashboard;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.kafka.embedded.EmbeddedKafkaBroker;
import dev.troupe.worker.Worker;
import dev.troupe.worker.WorkerConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the demo runs in this JVM: a Kafka broker (unless an external one is used), Vert.x, the Givon
 * simulator, one worker and the dashboard. {@link #close()} stops them in reverse order; the broker's temporary data
 * directory is deleted.
 */
public final class DemoStack implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private EmbeddedKafkaBroker broker;
    private GivonSimulator simulator;
    private Worker worker;
    private Dashboard dashboard;

    /**
     * Starts an in-JVM broker on {@code preferredPort} when it is free (so other commands find it at the
     * configured address), else on any free port.
     */
    public EmbeddedKafkaBroker startBroker(int preferredPort) {
        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults();
        if (preferredPort > 0) {
            try {
                broker = EmbeddedKafkaBroker.start(options.withClientPort(preferredPort));
                return broker;
            } catch (IllegalStateException e) {
                // Taken (maybe by a real Kafka): any free port will do for the demo.
            }
        }
        broker = EmbeddedKafkaBroker.start(options);
        return broker;
    }

    public GivonSimulator startSimulator(SimulatorConfig config) throws Exception {
        simulator = GivonSimulator.start(vertx, config).await(30, TimeUnit.SECONDS);
        return simulator;
    }

    public Worker startWorker(WorkerConfig config) {
        worker = Worker.start(vertx, config);
        return worker;
    }

    /**
     * Starts the dashboard on the configured port when it is free, else on any free port, reading this worker's
     * metrics; read-only unless {@code actions}.
     */
    public Dashboard startDashboard(TroupeConfig config, boolean actions) {
        DashboardSettings settings = config.dashboard().withHost("127.0.0.1")
                .withMetrics(worker != null && worker.opsPort() > 0
                        ? List.of(URI.create("http://127.0.0.1:" + worker.opsPort() + "/metrics")) : List.of());
        try {
            dashboard = Dashboard.start(vertx, config.withDashboard(settings), null, actions);
        } catch (IllegalStateException e) {
            if (settings.port() == 0) {
                throw e;
            }
            dashboard = Dashboard.start(vertx, config.withDashboard(settings.withPort(0)), null, actions);
        }
        return dashboard;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            if (dashboard != null) {
                dashboard.close();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (worker != null) {
                worker.close();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (simulator != null) {
                simulator.close().await(10, TimeUnit.SECONDS);
            }
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            failure = failure == null ? new IllegalStateException("stopping the simulator: " + e.getMessage(), e) : failure;
        }
        try {
            if (broker != null) {
                broker.close();
            }
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
