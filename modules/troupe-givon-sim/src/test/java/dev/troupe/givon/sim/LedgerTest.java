package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ledger is the evidence for "no double pay" and "budget never exceeded": it must be exact. */
class LedgerTest {

    private static Vertx vertx;
    private static SimHttp http;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        http = new SimHttp(vertx, 1000);
    }

    @AfterAll
    static void stopVertx() {
        SimHttp.await(vertx.close());
    }

    @Test
    void thousandConcurrentSubmissionsAreAllAccountedFor() {
        GivonSimulator sim = TestSimulators.start(vertx, config -> config);
        try {
            List<HttpResponse<Buffer>> responses = SimHttp.await(Future.all(IntStream.range(0, 1000)
                    .mapToObj(i -> http.submit(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-" + i))
                    .toList())).list();

            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
            assertThat(responses.stream().map(r -> r.bodyAsJsonObject().getString("id"))).doesNotHaveDuplicates();
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(1000);
            assertThat(ledger.generationsByIdempotencyKey()).hasSize(1000);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
            assertThat(ledger.totalResponses()).isEqualTo(1000);
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21_000));
            assertThat(ledger.peakConcurrentGenerations()).isBetween(1, 1000);

            // 30..180 simulated seconds at x1000: all of them end within a fraction of a second.
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.ledger().snapshot().generationsSucceeded() == 1000);
            assertThat(sim.ledger().snapshot().activeGenerations()).isZero();
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void statsEndpointServesTheSnapshot() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .fixedGenerationTime(Duration.ofSeconds(60)));
        try {
            http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-a");
            http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-a");
            http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-b");
            http.post(sim, null, SimHttp.VALID_BODY, "job-c");
            http.post(sim, SimHttp.KEY, SimHttp.bodyWithInput("{}"), "job-d");

            HttpResponse<Buffer> stats = http.get(sim, null, "/sim/stats");

            assertThat(stats.statusCode()).isEqualTo(200);
            LedgerSnapshot served = LedgerSnapshotJson.read(stats.bodyAsString());
            assertThat(served).isEqualTo(sim.ledger().snapshot());
            assertThat(served.generationsByIdempotencyKey()).isEqualTo(Map.of("job-a", 2, "job-b", 1));
            assertThat(served.responsesByStatus()).isEqualTo(Map.of(201, 3L, 401, 1L, 422, 1L));
            assertThat(stats.bodyAsJsonObject().getString("tokensCharged")).isEqualTo("63");
            assertThat(stats.bodyAsString()).doesNotContain(SimHttp.KEY);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void peakConcurrencyCountsOnlyGenerationsStillRunning() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .fixedGenerationTime(Duration.ofSeconds(60)));
        try {
            http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-1");
            http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-2");
            http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-3");
            clock.advance(Duration.ofSeconds(61));
            // Nobody read the first three's status: they ended all the same.
            http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-4");

            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.peakConcurrentGenerations()).isEqualTo(3);
            assertThat(ledger.activeGenerations()).isEqualTo(1);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void repeatedIdempotencyKeyCreatesAndChargesAgainByDefault() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config);
        try {
            String first = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-7").bodyAsJsonObject().getString("id");
            String second = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-7").bodyAsJsonObject().getString("id");

            assertThat(second).isNotEqualTo(first);
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsFor("job-7")).isEqualTo(2);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(2);
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(42));
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void honouredIdempotencyKeyReturnsTheExistingGeneration() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .honourIdempotencyKey(true));
        try {
            HttpResponse<Buffer> first = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-7");
            HttpResponse<Buffer> again = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-7");

            assertThat(again.statusCode()).isEqualTo(201);
            assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
            assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(1);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
            assertThat(ledger.idempotentReplays()).isEqualTo(1);
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21));
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void sameSeedReplaysTheSameRun() {
        SimulatorConfig.Builder config = SimulatorConfig.builder()
                .dialect(Dialect.MIXED).serverErrorRate(0.3).failureRate(0.5).unknownStatusRate(0.2)
                .generationTime(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(120));

        List<String> first = sequentialRun(config.seed(7).build());
        List<String> again = sequentialRun(config.seed(7).build());
        List<String> otherSeed = sequentialRun(config.seed(8).build());

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    /** 25 submissions, then a status read of each generation half-way and at the end. */
    private static List<String> sequentialRun(SimulatorConfig config) {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = SimHttp.await(GivonSimulator.start(vertx, config, clock));
        try {
            List<String> transcript = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                HttpResponse<Buffer> response = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-" + i);
                transcript.add(response.statusCode() + " " + response.bodyAsString());
                if (response.statusCode() < 300) {
                    ids.add(SimHttp.idOf(response.bodyAsJsonObject()));
                }
            }
            for (Duration step : List.of(Duration.ofSeconds(30), Duration.ofSeconds(120))) {
                clock.advance(step);
                for (String id : ids) {
                    HttpResponse<Buffer> response = http.generation(sim, id);
                    transcript.add(response.statusCode() + " " + response.bodyAsString().replace(sim.baseUrl(), "BASE"));
                }
            }
            LedgerSnapshot ledger = sim.ledger().snapshot();
            transcript.add(ledger.generationsSucceeded() + "/" + ledger.generationsFailed() + "/" + ledger.tokensCharged());
            return transcript;
        } finally {
            SimHttp.await(sim.close());
        }
    }
}
