package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auth, body and schema checks: every refusal is precise and none creates or charges anything. */
class RequestCheckTest {

    private static Vertx vertx;
    private static SimHttp http;
    private GivonSimulator sim;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        http = new SimHttp(vertx);
    }

    @AfterAll
    static void stopVertx() {
        SimHttp.await(vertx.close());
    }

    @BeforeEach
    void startSimulator() {
        sim = TestSimulators.start(vertx, config -> config
                .apiKeys("sim-key", "other-key")
                .forbiddenKeys("revoked-key"));
    }

    @AfterEach
    void stopSimulator() {
        SimHttp.await(sim.close());
    }

    @Test
    void missingOrUnknownApiKeyIsUnauthorized() {
        HttpResponse<Buffer> missing = http.post(sim, null, SimHttp.VALID_BODY, null);
        HttpResponse<Buffer> unknown = http.post(sim, "guessed-key", SimHttp.VALID_BODY, null);
        HttpResponse<Buffer> unknownGet = http.get(sim, "guessed-key", "/api/v1/generations/gen_1_x");

        for (HttpResponse<Buffer> response : List.of(missing, unknown, unknownGet)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.getHeader("Content-Type")).startsWith("application/json");
            assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unauthorized");
        }
        assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("Authorization");
        assertNothingCreated();
    }

    @Test
    void forbiddenKeyIsRefusedWith403() {
        HttpResponse<Buffer> response = http.post(sim, "revoked-key", SimHttp.VALID_BODY, null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("forbidden");
        assertThat(response.bodyAsString()).doesNotContain("revoked-key");
        assertNothingCreated();
    }

    @Test
    void bodyThatIsNotJsonIsABadRequest() {
        HttpResponse<Buffer> broken = http.post(sim, SimHttp.KEY, "{\"type\": video", null);
        HttpResponse<Buffer> array = http.post(sim, SimHttp.KEY, "[1, 2]", null);

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("not valid JSON");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(array.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("JSON object");
        assertNothingCreated();
    }

    @Test
    void bodyThatIsNotDeclaredJsonIsUnsupported() {
        HttpResponse<Buffer> response = SimHttp.await(http.submitRequest(sim, SimHttp.KEY, null)
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer(SimHttp.VALID_BODY)));

        assertThat(response.statusCode()).isEqualTo(415);
        assertNothingCreated();
    }

    @Test
    void invalidInputIsUnprocessableWithEveryViolationPath() {
        String body = SimHttp.bodyWithInput("""
                {"prompt":"dance","duration":99,"aspectRatio":"2:1","referencePhoto":"ftp://photos/me.png"}""");

        HttpResponse<Buffer> response = http.post(sim, SimHttp.KEY, body, null);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("validation_error");
        JsonArray violations = error.getJsonArray("violations");
        assertThat(violations.stream().map(v -> ((JsonObject) v).getString("path")))
                .containsExactlyInAnyOrder("input.duration", "input.aspectRatio", "input.referencePhoto",
                        "input.motionVideo");
        violations.forEach(v -> {
            JsonObject violation = (JsonObject) v;
            assertThat(violation.getString("rule")).isNotBlank();
            assertThat(violation.getString("message")).isNotBlank();
        });
        JsonObject duration = violations.stream().map(JsonObject.class::cast)
                .filter(v -> v.getString("path").equals("input.duration")).findFirst().orElseThrow();
        assertThat(duration.getString("value")).isEqualTo("99");
        assertThat(error.getString("message")).contains("input.duration");
        assertNothingCreated();
    }

    @Test
    void unknownModelAndWrongTypeAreUnprocessable() {
        HttpResponse<Buffer> unknownModel = http.post(sim, SimHttp.KEY,
                SimHttp.VALID_BODY.replace("kling-3.0-motion", "kling-9-motion"), null);
        HttpResponse<Buffer> wrongType = http.post(sim, SimHttp.KEY,
                SimHttp.VALID_BODY.replace("\"video\"", "\"image\""), null);

        assertThat(unknownModel.statusCode()).isEqualTo(422);
        assertThat(paths(unknownModel)).containsExactly("model");
        assertThat(unknownModel.bodyAsJsonObject().getJsonObject("error").getString("message"))
                .contains("kling-9-motion", "kling-3.0-motion");
        assertThat(wrongType.statusCode()).isEqualTo(422);
        assertThat(paths(wrongType)).containsExactly("type");
        assertNothingCreated();
    }

    @Test
    void unknownGenerationAndOtherKeysGenerationAreNotFound() {
        String id = SimHttp.idOf(http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject());

        assertThat(http.generation(sim, "gen_999_nope").statusCode()).isEqualTo(404);
        assertThat(http.get(sim, "other-key", "/api/v1/generations/" + id).statusCode()).isEqualTo(404);
        assertThat(http.generation(sim, id).statusCode()).isEqualTo(200);
    }

    @Test
    void everyRefusalIsCountedByStatus() {
        http.post(sim, null, SimHttp.VALID_BODY, null);
        http.post(sim, "revoked-key", SimHttp.VALID_BODY, null);
        http.post(sim, SimHttp.KEY, "nope", null);
        http.post(sim, SimHttp.KEY, SimHttp.bodyWithInput("{}"), null);

        assertThat(sim.ledger().snapshot().responsesByStatus())
                .containsEntry(401, 1L).containsEntry(403, 1L).containsEntry(400, 1L).containsEntry(422, 1L)
                .hasSize(4);
    }

    private static List<String> paths(HttpResponse<Buffer> response) {
        return response.bodyAsJsonObject().getJsonObject("error").getJsonArray("violations").stream()
                .map(v -> ((JsonObject) v).getString("path")).toList();
    }

    private void assertNothingCreated() {
        LedgerSnapshot ledger = sim.ledger().snapshot();
        assertThat(ledger.generationsCreated()).isZero();
        assertThat(ledger.tokensCharged()).isEqualTo(dev.troupe.model.Tokens.ZERO);
    }
}
