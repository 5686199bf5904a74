package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MIXED dialect varies every undocumented part of a response, within what a client must accept. */
class DialectTest {

    private static final Set<String> RUNNING = Set.of("queued", "processing", "IN_PROGRESS", "rendering");
    private static final Set<String> SUCCESS = Set.of("succeeded", "COMPLETED", "success", "done");
    private static final Set<String> FAILURE = Set.of("failed", "ERROR", "cancelled");

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
    void mixedDialectVariesIdStatusAndVideoUrlPlacement() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .dialect(Dialect.MIXED).failureRate(0.3).fixedGenerationTime(Duration.ofSeconds(60)).seed(11));
        try {
            Set<String> idPlaces = new HashSet<>();
            Set<Integer> createdStatuses = new HashSet<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                HttpResponse<Buffer> created = http.post(sim, SimHttp.VALID_BODY);
                createdStatuses.add(created.statusCode());
                JsonObject body = created.bodyAsJsonObject();
                idPlaces.add(idPlace(body));
                ids.add(SimHttp.idOf(body));
                if (body.containsKey("status")) {
                    assertThat(body.getString("status")).isIn(RUNNING);
                }
            }
            assertThat(createdStatuses).containsExactlyInAnyOrder(200, 201, 202);
            assertThat(idPlaces).containsExactlyInAnyOrder("id", "generationId", "data.id");
            assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();

            clock.advance(Duration.ofSeconds(60));
            Set<String> urlPlaces = new HashSet<>();
            Set<String> endStatuses = new HashSet<>();
            for (String id : ids) {
                JsonObject body = http.generation(sim, id).bodyAsJsonObject();
                assertThat(SimHttp.idOf(body)).isEqualTo(id);
                String status = body.getString("status");
                endStatuses.add(status);
                if (SUCCESS.contains(status)) {
                    String place = videoUrlPlace(body);
                    urlPlaces.add(place);
                    assertThat(videoUrl(body, place)).endsWith("/sim/videos/" + id + ".mp4");
                } else {
                    assertThat(status).isIn(FAILURE);
                    assertThat(body.getJsonObject("error").getString("message")).isNotBlank();
                }
            }
            assertThat(urlPlaces).containsExactlyInAnyOrder("output.url", "videoUrl", "output.videoUrl", "result.url");
            assertThat(endStatuses).containsAnyElementsOf(SUCCESS).containsAnyElementsOf(FAILURE)
                    .hasSizeGreaterThan(4);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    private static String idPlace(JsonObject body) {
        if (body.containsKey("id")) {
            return "id";
        }
        return body.containsKey("generationId") ? "generationId" : "data.id";
    }

    private static String videoUrlPlace(JsonObject body) {
        if (body.containsKey("videoUrl")) {
            return "videoUrl";
        }
        if (body.containsKey("result")) {
            return "result.url";
        }
        return body.getJsonObject("output").containsKey("videoUrl") ? "output.videoUrl" : "output.url";
    }

    private static String videoUrl(JsonObject body, String place) {
        return switch (place) {
            case "videoUrl" -> body.getString("videoUrl");
            case "result.url" -> body.getJsonObject("result").getString("url");
            case "output.videoUrl" -> body.getJsonObject("output").getString("videoUrl");
            default -> body.getJsonObject("output").getString("url");
        };
    }
}
