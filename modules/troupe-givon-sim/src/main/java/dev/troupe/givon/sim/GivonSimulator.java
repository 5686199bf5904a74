package dev.troupe.givon.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A Givon look-alike on Vert.x: the same generation API and validation, with latency, faults,
 * rate limits, a token balance and a {@link SimulatorLedger} that tests read to prove what the
 * worker paid for.
 *
 * <pre>{@code
 * GivonSimulator sim = GivonSimulator.start(vertx, SimulatorConfig.builder().concurrencyCapPerKey(4).build())
 *         .await();
 * // point the worker at sim.baseUrl() with key "sim-key" ...
 * sim.reconfigure(f -> f.serverErrorRate(0.2));
 * assertThat(sim.ledger().snapshot().maxGenerationsForOneKey()).isEqualTo(1);
 * }</pre>
 */
public final class GivonSimulator {

    private final Vertx vertx;
    private final String deploymentId;
    private final SimulatorConfig config;
    private final int port;
    private final SimulatedGivon givon;
    private final SimulatorLedger ledger;
    private final GivonApi api;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GivonSimulator(Vertx vertx, String deploymentId, SimulatorConfig config, int port, SimulatedGivon givon,
            SimulatorLedger ledger, GivonApi api) {
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.config = config;
        this.port = port;
        this.givon = givon;
        this.ledger = ledger;
        this.api = api;
    }

    /** Deploys a simulator on {@code vertx}; completes once it listens. */
    public static Future<GivonSimulator> start(Vertx vertx, SimulatorConfig config) {
        return start(vertx, config, new SimClock(config.timeCompression()));
    }

    /**
     * With a given clock, e.g. {@link SimClock#manual()}: a test steps simulated time by hand, so a
     * generation ends exactly when the test says and never races the machine's speed.
     */
    public static Future<GivonSimulator> start(Vertx vertx, SimulatorConfig config, SimClock clock) {
        SimulatorLedger ledger = new SimulatorLedger(clock);
        Random random = new Random(config.seed());
        SimulatedGivon givon = new SimulatedGivon(config, clock, ledger, random);
        ObjectMapper json = new ObjectMapper();
        GivonApi api = new GivonApi(vertx, config, givon, ledger, json, new ReplyWriter(json, random));
        SimulatorVerticle verticle = new SimulatorVerticle(config, api);
        return vertx.deployVerticle(verticle)
                .map(id -> new GivonSimulator(vertx, id, config, verticle.port(), givon, ledger, api));
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} (or the configured host when it is not a wildcard). */
    public String baseUrl() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port;
    }

    public SimulatorConfig config() {
        return config;
    }

    public SimulatorLedger ledger() {
        return ledger;
    }

    /**
     * How long ago a generation ended, in the simulator's time (real time unless the clock is manual);
     * negative while it runs; empty for an id the simulator never created. Not part of Givon's API
     * (which tells no times): for a harness that measures how late a client sees an end.
     */
    public Optional<Duration> sinceEnd(String generationId) {
        return givon.nanosSinceEnd(generationId).map(Duration::ofNanos);
    }

    /** The fault profile in force now. */
    public Faults faults() {
        return givon.faults();
    }

    /**
     * Changes the fault profile from now on, e.g. {@code reconfigure(f -> f.concurrencyCapPerKey(2))};
     * an invalid change throws and leaves the profile as it was.
     *
     * @return the profile now in force
     */
    public Faults reconfigure(Consumer<Faults.Builder> change) {
        return givon.reconfigure(current -> {
            Faults.Builder builder = current.toBuilder();
            change.accept(builder);
            return builder.build();
        });
    }

    /**
     * Lets a test answer API requests one by one ({@link ScriptedAnswers}), from the next request on;
     * {@code null} or {@link ScriptedAnswers#NONE} removes the script. Scripted answers are counted in
     * the ledger's responses like the simulator's own.
     */
    public void script(ScriptedAnswers answers) {
        api.script(answers);
    }

    /**
     * Back to a well-behaved Givon ({@link Faults#NONE}, no script), e.g. between tests that share one
     * simulator.
     */
    public Faults resetFaults() {
        api.script(ScriptedAnswers.NONE);
        return givon.reconfigure(current -> Faults.NONE);
    }

    /** Stops listening and drops open connections (including requests left unanswered on purpose). */
    public Future<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return vertx.undeploy(deploymentId);
    }
}
