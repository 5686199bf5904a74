package dev.troupe.worker;

import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.testkit.VertxBlockedThreadGuard;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.time.Duration;

/**
 * The shared broker (one per test JVM) and a Vert.x whose blocked-thread checker fails the test when
 * an event loop is blocked, as the worker's integration tests need them.
 */
@ExtendWith(KafkaClusterExtension.class)
abstract class WorkerTestSupport {

    /**
     * 500 ms per event-loop task (Vert.x's default is 2 s): a broker, the simulator, the worker and the
     * JIT share two cores here, and 200 ms was exceeded by scheduling alone in the first seconds.
     */
    @RegisterExtension
    static final VertxBlockedThreadGuard guard = new VertxBlockedThreadGuard(new VertxBlockedThreadGuard.Limits(
            Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(10)));

    private KafkaCluster cluster;
    private Vertx vertx;

    @BeforeEach
    void attach(KafkaCluster cluster, Vertx vertx) {
        this.cluster = cluster;
        this.vertx = vertx;
    }

    WorkerTestBed bed(Consumer<SimulatorConfig.Builder> simulator) throws Exception {
        return new WorkerTestBed(cluster, vertx, simulator);
    }
}
