package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A test scripts the answer to each API request: any status, headers and bytes, slow bodies, creation first. */
class ScriptedAnswersTest {

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
        sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .fixedGenerationTime(Duration.ofSeconds(60)));
    }

    @AfterEach
    void stopSimulator() {
        SimHttp.await(sim.close());
    }

    @Test
    void aScriptedAnswerReplacesTheSimulatorsOwnAndCreatesNothing() {
        sim.script(request -> request.sequence() == 1
                ? Optional.of(ScriptedAnswer.of(418, "text/plain", new byte[] {'t', 'e', 'a', (byte) 0xff})
                        .withHeader("Retry-After", "0"))
                : Optional.empty());

        HttpResponse<Buffer> scripted = http.post(sim, SimHttp.VALID_BODY);
        HttpResponse<Buffer> usual = http.post(sim, SimHttp.VALID_BODY);

        assertThat(scripted.statusCode()).isEqualTo(418);
        assertThat(scripted.getHeader("Retry-After")).isEqualTo("0");
        assertThat(scripted.body().getBytes()).containsExactly('t', 'e', 'a', (byte) 0xff);
        assertThat(usual.statusCode()).isEqualTo(201);
        LedgerSnapshot ledger = sim.ledger().snapshot();
        assertThat(ledger.generationsCreated()).isEqualTo(1);
        assertThat(ledger.responsesByStatus()).containsEntry(418, 1L).containsEntry(201, 1L);
    }

    @Test
    void theScriptSeesEveryRequestWithItsIdOrIdempotencyKey() {
        List<ApiRequest> seen = new CopyOnWriteArrayList<>();
        sim.script(request -> {
            seen.add(request);
            return Optional.empty();
        });

        String id = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-seen-1").bodyAsJsonObject().getString("id");
        http.generation(sim, id);
        http.get(sim, SimHttp.KEY, "/api/v1/elsewhere");

        assertThat(seen).containsExactly(
                new ApiRequest(1, "POST", "/api/v1/generations", null, "job-seen-1"),
                new ApiRequest(2, "GET", "/api/v1/generations/" + id, id, null),
                new ApiRequest(3, "GET", "/api/v1/elsewhere", null, null));
        assertThat(seen.get(0).isSubmission()).isTrue();
        assertThat(seen.get(1).isStatusRead()).isTrue();
        assertThat(seen.get(2).isSubmission() || seen.get(2).isStatusRead()).isFalse();
    }

    @Test
    void anAnswerAfterCreatingChargesTheGenerationAndNamesIt() {
        sim.reconfigure(f -> f.honourIdempotencyKey(true));
        sim.script(request -> request.isSubmission() && request.sequence() == 1
                ? Optional.of(ScriptedAnswer.json(502, "{\"error\":\"gateway lost {generationId}\"}").afterCreating())
                : Optional.empty());

        HttpResponse<Buffer> lost = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-after-1");
        HttpResponse<Buffer> again = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-after-1");

        assertThat(lost.statusCode()).isEqualTo(502);
        String id = again.bodyAsJsonObject().getString("id");
        assertThat(lost.bodyAsJsonObject().getString("error")).isEqualTo("gateway lost " + id);
        assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
        LedgerSnapshot ledger = sim.ledger().snapshot();
        assertThat(ledger.generationsFor("job-after-1")).isEqualTo(1);
        assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21));
        assertThat(http.generation(sim, id).statusCode()).isEqualTo(200);
    }

    @Test
    void creatingFirstNeedsASubmissionGivonWouldAccept() {
        sim.script(request -> Optional.of(ScriptedAnswer.json(201, "{\"id\":\"{generationId}\"}").afterCreating()));

        HttpResponse<Buffer> invalid = http.post(sim, SimHttp.bodyWithInput("{\"prompt\":\"x\"}"));
        HttpResponse<Buffer> stranger = http.post(sim, "not-a-key", SimHttp.VALID_BODY, "job-x");

        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(sim.ledger().snapshot().generationsCreated()).isZero();
    }

    @Test
    void aStatusReadCanBeScriptedWithItsOwnId() {
        String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");
        sim.script(request -> request.isStatusRead()
                ? Optional.of(ScriptedAnswer.json(200, "{\"id\":\"{generationId}\",\"status\":\"done\",\"cost\":-5}"))
                : Optional.empty());

        HttpResponse<Buffer> status = http.generation(sim, id);

        assertThat(status.bodyAsJsonObject().getString("id")).isEqualTo(id);
        assertThat(status.bodyAsJsonObject().getInteger("cost")).isEqualTo(-5);
        sim.resetFaults();
        assertThat(http.generation(sim, id).bodyAsJsonObject().getString("status")).as("no script after a reset")
                .isEqualTo("queued");
    }

    @Test
    void aTrickledBodyPausesBetweenChunksAndStillArrivesWhole() {
        String body = "{\"id\":\"gen_slow\",\"status\":\"queued\"}";
        sim.script(request -> Optional.of(ScriptedAnswer.json(201, body).trickled(4, Duration.ofMillis(200))));

        // The simulator waits 200 ms between chunks, so a connection that may be silent for 50 ms at
        // most is closed mid-body (a request's own idle timeout would not do: Vert.x 5 stops it at the
        // response head)...
        WebClient impatientClient = WebClient.create(vertx, new WebClientOptions()
                .setIdleTimeout(50).setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        try {
            Future<HttpResponse<Buffer>> impatient = impatientClient.postAbs(sim.baseUrl() + "/api/v1/generations")
                    .putHeader("Content-Type", "application/json").bearerTokenAuthentication(SimHttp.KEY)
                    .sendBuffer(Buffer.buffer(SimHttp.VALID_BODY));
            await().atMost(Duration.ofSeconds(20)).until(impatient::isComplete);
            assertThat(impatient.failed()).as("gave up in the middle of the body").isTrue();
        } finally {
            impatientClient.close();
        }
        // ... and a patient one gets every byte.
        HttpResponse<Buffer> patient = http.post(sim, SimHttp.VALID_BODY);
        assertThat(patient.statusCode()).isEqualTo(201);
        assertThat(patient.bodyAsString()).isEqualTo(body);
    }

    @Test
    void aFailingScriptAnswers500InsteadOfHanging() {
        sim.script(request -> {
            throw new IllegalStateException("bug in the test's script");
        });

        HttpResponse<Buffer> answer = http.post(sim, SimHttp.VALID_BODY);

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.bodyAsString()).contains("bug in the test's script");
    }
}
