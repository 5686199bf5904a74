package dev.troupe.worker;

import dev.troupe.givon.sim.SimClock;
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
     * 1 s per event-loop task, half Vert.x's default: here a broker, the simulator (whose handlers
     * share this Vert.x), the worker and the JIT share two cores, and on a loaded machine plain CPU
     * starvation held a JSON parse for 770 ms. A task that waits on I/O or another thread (a producer
     * send waiting for metadata, a future's get) is held for seconds and still fails the test.
     */
    @RegisterExtension
    static final VertxBlockedThreadGuard guard = new VertxBlockedThreadGuard(new VertxBlockedThreadGuard.Limits(
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10)));

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

    /** A bed on another cluster than the shared one (a broker this test may kill). */
    WorkerTestBed bed(KafkaCluster otherCluster, Consumer<SimulatorConfig.Builder> simulator) throws Exception {
        return new WorkerTestBed(otherCluster, vertx, simulator);
    }

    /** A bed whose simulator keeps {@code clock}'s time: generations end when the test advances it. */
    WorkerTestBed bed(Consumer<SimulatorConfig.Builder> simulator, SimClock clock) throws Exception {
        return new WorkerTestBed(cluster, vertx, simulator, clock);
    }
}
