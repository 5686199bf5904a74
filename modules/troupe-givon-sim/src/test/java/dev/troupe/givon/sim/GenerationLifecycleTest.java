package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A generation's visible life: queued, processing, then succeeded with a video or failed with a reason. */
class GenerationLifecycleTest {

    private static Vertx vertx;
    private static SimHttp http;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        http = new SimHttp(vertx);
    }

    @AfterAll
    static void stopVertx() {
        SimHttp.await(vertx.close());
    }

    @Test
    void generationIsQueuedThenProcessingThenSucceedsWithVideoAndCost() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .fixedGenerationTime(Duration.ofSeconds(100)));
        try {
            HttpResponse<Buffer> created = http.post(sim, SimHttp.VALID_BODY);
            assertThat(created.statusCode()).isEqualTo(201);
            JsonObject body = created.bodyAsJsonObject();
            String id = body.getString("id");
            assertThat(id).matches("gen_1_[a-z0-9]+");
            assertThat(body.getString("status")).isEqualTo("queued");

            assertThat(status(sim, id).getString("status")).isEqualTo("queued");
            clock.advance(Duration.ofSeconds(11));
            JsonObject processing = status(sim, id);
            assertThat(processing.getString("status")).isEqualTo("processing");
            assertThat(processing.containsKey("output")).isFalse();
            assertThat(sim.ledger().snapshot().activeGenerations()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(90));
            JsonObject done = status(sim, id);
            assertThat(done.getString("status")).isEqualTo("succeeded");
            assertThat(done.getString("cost")).isEqualTo("21");
            String videoUrl = done.getJsonObject("output").getString("url");
            assertThat(videoUrl).isEqualTo(sim.baseUrl() + "/sim/videos/" + id + ".mp4");

            HttpResponse<Buffer> video = http.getAbs(videoUrl);
            assertThat(video.statusCode()).isEqualTo(200);
            assertThat(video.getHeader("Content-Type")).isEqualTo("video/mp4");
            assertThat(video.body().getString(4, 8)).isEqualTo("ftyp");

            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsSucceeded()).isEqualTo(1);
            assertThat(ledger.activeGenerations()).isZero();
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21));
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void theHarnessCanTellHowLongAgoAGenerationEnded() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .fixedGenerationTime(Duration.ofSeconds(100)));
        try {
            String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");
            assertThat(sim.sinceEnd(id)).contains(Duration.ofSeconds(-100));
            clock.advance(Duration.ofSeconds(103));
            assertThat(sim.sinceEnd(id)).contains(Duration.ofSeconds(3));
            assertThat(status(sim, id).getString("status")).isEqualTo("succeeded");
            assertThat(sim.sinceEnd("gen_404_nothing")).isEmpty();
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void timeCompressionMakesA90SecondGenerationFinishInAFractionOfASecond() {
        GivonSimulator sim = TestSimulators.start(vertx, config -> config
                .fixedGenerationTime(Duration.ofSeconds(90)).timeCompression(1000));
        try {
            String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");
            List<String> seen = new ArrayList<>();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
                String status = status(sim, id).getString("status");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                    seen.add(status);
                }
                return status.equals("succeeded");
            });

            // Phases only move forward, whichever of them the polling happened to catch.
            assertThat(List.of("queued", "processing", "succeeded")).containsSubsequence(seen);
            assertThat(sim.ledger().snapshot().generationsSucceeded()).isEqualTo(1);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void certainFailureEndsFailedWithAReasonAndStaysCharged() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .fixedGenerationTime(Duration.ofSeconds(60)).failureRate(1.0));
        try {
            String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");
            clock.advance(Duration.ofSeconds(60));

            JsonObject failed = status(sim, id);

            assertThat(failed.getString("status")).isEqualTo("failed");
            assertThat(failed.getJsonObject("error").getString("message")).isNotBlank();
            assertThat(failed.getString("cost")).isEqualTo("21");
            assertThat(http.getAbs(sim.baseUrl() + "/sim/videos/" + id + ".mp4").statusCode()).isEqualTo(404);
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsFailed()).isEqualTo(1);
            assertThat(ledger.generationsSucceeded()).isZero();
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21));
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void undocumentedStatusesAppearOnlyWhileRunning() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .fixedGenerationTime(Duration.ofSeconds(60)).unknownStatusRate(1.0));
        try {
            String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");

            assertThat(status(sim, id).getString("status"))
                    .isNotIn("queued", "processing", "succeeded", "failed").matches("[a-z_]+");
            clock.advance(Duration.ofSeconds(60));
            assertThat(status(sim, id).getString("status")).isEqualTo("succeeded");
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void costFollowsTheRequestedDuration() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config.fixedGenerationTime(Duration.ZERO));
        try {
            String body = SimHttp.bodyWithInput("""
                    {"prompt":"spin","duration":15,"referencePhoto":"https://cdn.example.com/a.png",
                     "motionVideo":"asset://asset_spin"}""");
            String id = http.post(sim, body).bodyAsJsonObject().getString("id");

            assertThat(status(sim, id).getString("cost")).isEqualTo("105");
            assertThat(sim.ledger().snapshot().tokensCharged()).isEqualTo(Tokens.of(105));
        } finally {
            SimHttp.await(sim.close());
        }
    }

    private static JsonObject status(GivonSimulator sim, String id) {
        HttpResponse<Buffer> response = http.generation(sim, id);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }
}
