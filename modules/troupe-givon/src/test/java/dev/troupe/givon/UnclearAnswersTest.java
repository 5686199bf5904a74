package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.failure;
import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.model.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers the simulator does not give: a 2xx without an id, a connection dropped after the request,
 * a body that is not JSON, a pool that never frees a connection. A bare loopback HTTP server plays Givon.
 */
class UnclearAnswersTest {

    private static final String KEY = "sk-troupe-unclear-5e6f70";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicReference<Handler<HttpServerRequest>> behaviour = new AtomicReference<>();
    private GivonClient client;

    @BeforeAll
    static void startServer() {
        vertx = Vertx.vertx();
        server = succeeded(vertx.createHttpServer()
                .requestHandler(request -> behaviour.get().handle(request))
                .listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        succeeded(server.close());
        succeeded(vertx.close());
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private GivonClient client(UnaryOperator<GivonConfig.Builder> change) {
        client = TestClients.client(vertx, "http://127.0.0.1:" + server.actualPort(), KEY, 1,
                b -> change.apply(b.userAgent("troupe-test/1")));
        return client;
    }

    private static void answer(int status, String contentType, String body) {
        behaviour.set(request -> request.body().onSuccess(ignored -> request.response()
                .setStatusCode(status).putHeader("Content-Type", contentType).end(body)));
    }

    @Test
    void theSubmissionCarriesTheEnvelopeAndEveryHeader() throws Exception {
        AtomicReference<MultiMap> headers = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        AtomicReference<String> target = new AtomicReference<>();
        behaviour.set(request -> request.body().onSuccess(buffer -> {
            headers.set(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
            body.set(buffer.toString());
            target.set(request.method() + " " + request.path());
            request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                    .end("{\"data\":{\"id\":\"gen_77\"},\"status\":\"PENDING\",\"credits\":\"21.0\"}");
        }));

        Submission submission = succeeded(client(b -> b).submit(TestJobs.job("job-headers-1", 5)));

        assertThat(submission.generationId()).isEqualTo("gen_77");
        assertThat(submission.httpStatus()).isEqualTo(202);
        assertThat(submission.initial().rawStatus()).isEqualTo("PENDING");
        assertThat(submission.reportedCost()).contains(Tokens.of(21));
        assertThat(target.get()).isEqualTo("POST /api/v1/generations");
        assertThat(headers.get().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(headers.get().get("Content-Type")).isEqualTo("application/json");
        assertThat(headers.get().get("Idempotency-Key")).isEqualTo("job-headers-1");
        assertThat(headers.get().get("User-Agent")).isEqualTo("troupe-test/1");
        JsonNode sent = JSON.readTree(body.get());
        assertThat(sent.get("type").asText()).isEqualTo("video");
        assertThat(sent.get("model").asText()).isEqualTo("kling-3.0-motion");
        assertThat(sent.get("input").get("duration").asInt()).isEqualTo(5);
        assertThat(sent.get("input").get("audioEnabled").isBoolean()).isTrue();
        assertThat(sent.get("input").get("referencePhoto").asText()).isEqualTo("asset://asset_character_01");
        assertThat(sent.size()).isEqualTo(3);
    }

    @Test
    void theDebugLogShowsGivonsAnswerButNeverTheKey() throws Exception {
        // A misbehaving gateway that echoes the request headers into its error page.
        behaviour.set(request -> request.body().onSuccess(ignored -> request.response().setStatusCode(500)
                .end("{\"error\":\"upstream rejected marker-7731 with " + request.getHeader("Authorization") + "\"}")));

        GivonError error = failure(client(b -> b).submit(TestJobs.job("job-logged-1")), KEY);

        assertThat(error.describe()).contains("marker-7731").contains("Bearer ****");
        Path log = Path.of("target", "givon-client-debug.log");
        await().atMost(AsyncResults.TIMEOUT).until(() -> Files.exists(log)
                && Files.readString(log).contains("marker-7731"));
        String written = Files.readString(log);
        assertThat(written).contains("job=job-logged-1 -> 500").contains("Bearer ****");
        for (String secret : List.of(KEY, GivonErrorsTest.SECRETS[0], GivonErrorsTest.SECRETS[1],
                GivonErrorsTest.SECRETS[2], SubmitAndFollowTest.KEY,
                ThousandJobsIT.KEY)) {
            assertThat(written).doesNotContain(secret);
        }
    }

    @Test
    void aSuccessWithoutAnIdIsUncertain() {
        answer(201, "application/json", "{\"status\":\"queued\"}");

        GivonError error = failure(client(b -> b).submit(TestJobs.job("job-noid-1")), KEY);

        assertThat(error).isInstanceOf(GivonError.Uncertain.class);
        assertThat(((GivonError.Uncertain) error).reason()).contains("201").contains("without a generation id");
    }

    @Test
    void aSuccessThatIsNotJsonIsUncertain() {
        answer(200, "text/html", "<html>ok</html>");

        GivonError error = failure(client(b -> b).submit(TestJobs.job("job-html-1")), KEY);

        assertThat(error).isInstanceOf(GivonError.Uncertain.class);
    }

    @Test
    void aConnectionDroppedAfterTheRequestIsUncertainForSubmitButRetryableForStatus() {
        behaviour.set(request -> request.body().onSuccess(ignored -> request.connection().close()));
        GivonClient dropped = client(b -> b);

        GivonError submitError = failure(dropped.submit(TestJobs.job("job-dropped-1")), KEY);
        GivonError statusError = failure(dropped.status("gen_1"), KEY);

        assertThat(submitError).isInstanceOf(GivonError.Uncertain.class);
        assertThat(statusError).isInstanceOfSatisfying(GivonError.Retryable.class,
                retryable -> assertThat(retryable.httpStatus()).isEqualTo(-1));
    }

    @Test
    void aResponseTimeoutOnStatusIsRetryable() {
        behaviour.set(request -> { });

        GivonError error = failure(client(b -> b.responseTimeout(Duration.ofMillis(200))).status("gen_1"), KEY);

        assertThat(error).isInstanceOf(GivonError.Retryable.class);
    }

    @Test
    void aStatusAnswerThatIsNotJsonIsTransient() {
        answer(200, "text/plain", "fine, thanks");

        GivonError error = failure(client(b -> b).status("gen_1"), KEY);

        assertThat(error).isEqualTo(new GivonError.Retryable(200, "status answer is not a JSON object: fine, thanks"));
    }

    @Test
    void followWaitsOutRateLimitsTimeoutsAndGatewayErrorsUntilTheEnd() {
        List<Handler<HttpServerRequest>> script = List.of(
                request -> request.response().setStatusCode(429).putHeader("Retry-After", "0").end(),
                request -> request.response().setStatusCode(408).end(),
                request -> request.response().setStatusCode(503).putHeader("Content-Type", "text/html").end("<h1>busy</h1>"),
                request -> request.response().setStatusCode(200).end("{\"id\":\"gen_5\",\"state\":\"Rendering\"}"),
                request -> request.response().setStatusCode(200)
                        .end("{\"id\":\"gen_5\",\"status\":\"COMPLETED\",\"output\":[{\"url\":\"https://cdn/v.mp4\"}],\"cost\":35}"));
        AtomicInteger polls = new AtomicInteger();
        behaviour.set(request -> script.get(Math.min(polls.getAndIncrement(), script.size() - 1)).handle(request));
        List<String> seen = new CopyOnWriteArrayList<>();
        PollObserver observer = new PollObserver() {
            @Override
            public void onStatus(GenerationStatus status, int poll) {
                seen.add(poll + ":" + status.rawStatus() + "/" + status.phase());
            }

            @Override
            public void onTransientError(GivonError error, Duration retryIn) {
                seen.add(error.kind().name());
            }
        };
        GivonClient patient = client(b -> b.pollBackoff(new PollBackoff(Duration.ofMillis(5), Duration.ofMillis(20), 2.0)));

        GenerationStatus done = succeeded(patient.follow("gen_5", Instant.now().plusSeconds(30), observer));

        assertThat(done.phase()).isEqualTo(GenerationStatus.Phase.SUCCEEDED);
        assertThat(done.videoUrl()).isEqualTo("https://cdn/v.mp4");
        assertThat(done.reportedCost()).contains(Tokens.of(35));
        assertThat(seen).containsExactly("RATE_LIMITED", "RETRYABLE", "RETRYABLE", "1:Rendering/RUNNING",
                "2:COMPLETED/SUCCEEDED");
    }

    @Test
    void followStopsAtAPermanentError() {
        AtomicInteger polls = new AtomicInteger();
        behaviour.set(request -> {
            polls.incrementAndGet();
            request.response().setStatusCode(403).end("{\"message\":\"key revoked\"}");
        });

        GivonError error = failure(client(b -> b).follow("gen_6", Instant.now().plusSeconds(30)), KEY);

        assertThat(error).isEqualTo(new GivonError.Unauthorized(403, "key revoked"));
        assertThat(polls.get()).isEqualTo(1);
    }

    @Test
    void aSubmissionThatNeverGotAConnectionIsRetryableNotUncertain() {
        AtomicInteger received = new AtomicInteger();
        behaviour.set(request -> received.incrementAndGet()); // holds the only pooled connection
        GivonClient starved = client(b -> b.maxPoolSize(1).connectTimeout(Duration.ofMillis(200))
                .responseTimeout(Duration.ofSeconds(10)));

        Future<Submission> holder = starved.submit(TestJobs.job("job-holder-1"));
        await().atMost(AsyncResults.TIMEOUT).until(() -> received.get() == 1);
        GivonError error = failure(starved.submit(TestJobs.job("job-starved-1")), KEY);

        assertThat(error).isInstanceOf(GivonError.Retryable.class);
        assertThat(((GivonError.Retryable) error).httpStatus()).isEqualTo(-1);
        assertThat(received.get()).isEqualTo(1);
        assertThat(holder.isComplete()).isFalse();
    }

    @Test
    void aBodyThatStallsAfterItsHeadersEndsAtTheRequestDeadline() {
        // Vert.x 5 stops a request's idle timeout once the response head is in: only the deadline is left.
        behaviour.set(request -> request.body().onSuccess(ignored -> request.response().setStatusCode(200)
                .putHeader("Content-Length", "100").write("{\"id\":\"gen_")));
        GivonClient stalled = client(b -> b
                .connectTimeout(Duration.ofMillis(500)).responseTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(1)));

        GivonError submitError = failure(stalled.submit(TestJobs.job("job-stalled-1")), KEY);
        GivonError statusError = failure(stalled.status("gen_1"), KEY);

        assertThat(submitError).isInstanceOfSatisfying(GivonError.Uncertain.class,
                uncertain -> assertThat(uncertain.httpStatus()).isEqualTo(-1));
        assertThat(statusError).isInstanceOfSatisfying(GivonError.Retryable.class,
                retryable -> assertThat(retryable.reason()).contains("request deadline"));
    }

    @Test
    void aBodyLargerThanTheCapIsCutAndProvesNothing() {
        String huge = "{\"id\":\"gen_9\",\"status\":\"queued\",\"pad\":\"" + "x".repeat(GivonHttp.MAX_BODY_BYTES) + "\"}";
        answer(200, "application/json", huge);
        GivonClient capped = client(b -> b);

        GivonError submitError = failure(capped.submit(TestJobs.job("job-huge-1")), KEY);
        GivonError statusError = failure(capped.status("gen_9"), KEY);

        assertThat(submitError).isInstanceOfSatisfying(GivonError.Uncertain.class, uncertain -> {
            assertThat(uncertain.httpStatus()).isEqualTo(200);
            assertThat(uncertain.reason()).contains("not read to the end");
        });
        assertThat(statusError).isInstanceOf(GivonError.Retryable.class);
    }
}
