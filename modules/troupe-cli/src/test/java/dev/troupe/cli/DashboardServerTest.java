package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.cli.config.ConfigLoader;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.dashboard.Dashboard;
import dev.troupe.client.results.ExportFormat;
import dev.troupe.client.results.ResultExport;
import dev.troupe.model.BatchCodec;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.ControlCodec;
import dev.troupe.model.ControlCommand;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.ProgressCodec;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.testkit.VertxBlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe dashboard} on the real broker: what it reads from the topics reaches its JSON API and its live
 * events, exports are the bytes {@code troupe watch --output} writes, actions reach {@code troupe.control} only
 * when enabled, and access is guarded (token off loopback, the Host header on loopback); no handler blocks an event loop.
 */
@ExtendWith({KafkaClusterExtension.class, VertxBlockedThreadGuard.class})
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardServerTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    Vertx vertx;
    WebClient web;
    final JobCodec codec = new JobCodec(ModelCatalog.builtIn(), dev.troupe.model.ValidationLimits.DEFAULTS);
    final List<Dashboard> started = new ArrayList<>();

    TestTopics topics;
    TroupeConfig config;

    @BeforeEach
    void topics(KafkaCluster kafka, Vertx guarded) throws Exception {
        vertx = guarded; // its blocked-thread checker fails the test if a handler blocks an event loop
        web = WebClient.create(vertx);
        topics = TestTopics.create(kafka, dir).created();
        config = ConfigLoader.load(Optional.of(topics.config()), Map.of()).config();
        config = config.withDashboard(config.dashboard().withPort(0).withMetrics(List.of()));
    }

    @AfterEach
    void stop() throws Exception {
        started.forEach(Dashboard::close);
        web.close();
    }

    @Test
    void whatTheTopicsHoldReachesTheApiAndEveryChangeIsPushedLive(KafkaCluster kafka) throws Exception {
        List<JobResult> results = List.of(result("spring:a", JobStatus.SUCCEEDED, 1), result("spring:b", JobStatus.FAILED, 1));
        send(kafka, new BatchDescriptor("spring", "studio-a", 3, Tokens.of(30), T0), results,
                List.of(submitted("spring:c")));
        Dashboard dashboard = start(null, false);
        int port = dashboard.port();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonObject page = get(port, "/api/batches").bodyAsJsonObject();
            assertThat(page.getInteger("total")).isEqualTo(1);
            JsonObject batch = page.getJsonArray("items").getJsonObject(0);
            assertThat(batch.getString("batchId")).isEqualTo("spring");
            assertThat(batch.getInteger("jobs")).isEqualTo(3);
            assertThat(batch.getJsonObject("counts").getInteger("SUCCEEDED")).isEqualTo(1);
            assertThat(batch.getJsonObject("counts").getInteger("FAILED")).isEqualTo(1);
            assertThat(batch.getJsonObject("states").getInteger("atGivon")).isEqualTo(1);
            assertThat(batch.getString("tokensEstimated")).isEqualTo("30");
            assertThat(batch.getBoolean("complete")).isFalse();
        });
        JsonObject failed = get(port, "/api/batches/spring/jobs?status=FAILED").bodyAsJsonObject();
        assertThat(failed.getInteger("total")).isEqualTo(1);
        assertThat(failed.getJsonArray("items").getJsonObject(0).getString("errorCode")).isEqualTo("GIVON_GENERATION_FAILED");
        JsonObject detail = get(port, "/api/batches/spring").bodyAsJsonObject();
        assertThat(detail.getJsonArray("failures").getJsonObject(0).getInteger("count")).isEqualTo(1);
        assertThat(get(port, "/api/batches/nothing-here").statusCode()).isEqualTo(404);
        HttpResponse<Buffer> bad = get(port, "/api/batches?limit=100000");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyAsJsonObject().getString("error")).isEqualTo("limit must be 1..500, got 100000");

        // The export is what troupe watch --output writes: the results read again from the topic.
        StringWriter expected = new StringWriter();
        ResultExport.write(expected, ExportFormat.CSV, results, codec);
        HttpResponse<Buffer> csv = get(port, "/api/batches/spring/export?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.getHeader("Content-Disposition")).isEqualTo("attachment; filename=\"spring.csv\"");
        assertThat(csv.bodyAsString()).isEqualTo(expected.toString());

        // The fleet: the group's lag on the jobs topic (no worker runs here), results per outcome over time.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonObject fleet = get(port, "/api/fleet").bodyAsJsonObject();
            assertThat(fleet.getJsonObject("lag").getString("group")).isEqualTo(topics.groupId());
            assertThat(fleet.getJsonObject("lag").getJsonArray("partitions")).hasSize(3);
            assertThat(fleet.getJsonObject("throughput").getJsonArray("series")).hasSize(120);
        });

        // A job's story is troupe status --format json.
        JsonObject story = get(port, "/api/jobs/spring:b").bodyAsJsonObject();
        assertThat(story.getString("schema")).isEqualTo("troupe.job-status/v1");
        assertThat(story.encode()).contains("GIVON_GENERATION_FAILED");

        // Live: the page hears of the last result without asking.
        List<String> events = new CopyOnWriteArrayList<>();
        HttpClient http = vertx.createHttpClient();
        HttpClientResponse stream = http.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/api/events"))
                .compose(request -> request.send()).await(10, TimeUnit.SECONDS);
        assertThat(stream.getHeader("Content-Type")).startsWith("text/event-stream");
        stream.handler(chunk -> events.add(chunk.toString(StandardCharsets.UTF_8)));
        send(kafka, null, List.of(result("spring:c", JobStatus.SUCCEEDED, 1)), List.of());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(String.join("", events)).contains("event: change").contains("\"batches\":[\"spring\"]"));
        JsonObject batch = get(port, "/api/batches/spring").bodyAsJsonObject();
        assertThat(batch.getBoolean("complete")).isTrue();
        assertThat(batch.getDouble("percent")).isEqualTo(100.0);
        assertThat(batch.getString("tokensSpent")).isEqualTo("30"); // the failed generation was paid too
        http.close();
    }

    @Test
    void actionsAreRefusedUnlessEnabledAndThenWriteTheCommandTroupeCancelWrites(KafkaCluster kafka) throws Exception {
        Dashboard readOnly = start(null, false);
        HttpResponse<Buffer> refused = post(readOnly.port(), "/api/actions/cancel", new JsonObject().put("batchId", "spring"), true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.bodyAsJsonObject().getString("error")).contains("actions are off");

        Dashboard acting = start(null, true);
        HttpResponse<Buffer> noHeader = post(acting.port(), "/api/actions/cancel", new JsonObject().put("batchId", "spring"), false);
        assertThat(noHeader.statusCode()).isEqualTo(403);
        HttpResponse<Buffer> noBatch = post(acting.port(), "/api/actions/cancel", new JsonObject(), true);
        assertThat(noBatch.statusCode()).isEqualTo(400);
        assertThat(noBatch.bodyAsJsonObject().getString("error")).isEqualTo("batchId is required");
        HttpResponse<Buffer> cancel = post(acting.port(), "/api/actions/cancel",
                new JsonObject().put("batchId", "spring").put("reason", "wrong clip"), true);
        assertThat(cancel.statusCode()).as(cancel.bodyAsString()).isEqualTo(200);
        assertThat(cancel.bodyAsJsonObject().getString("sent")).isEqualTo("CANCEL batch:spring");
        HttpResponse<Buffer> pause = post(acting.port(), "/api/actions/pause", new JsonObject().put("tenant", "studio-a"), true);
        assertThat(pause.statusCode()).as(pause.bodyAsString()).isEqualTo(200);

        List<ControlCommand> commands = kafka.readAll(topics.control()).stream().map(r -> ((ControlCodec.Command) new ControlCodec()
                .decode(r.value().getBytes(StandardCharsets.UTF_8))).command()).toList();
        assertThat(commands).extracting(ControlCommand::key).containsExactly("batch:spring", "tenant:studio-a");
        assertThat(commands.get(0).reason()).isEqualTo("wrong clip");
    }

    @Test
    void offLoopbackATokenIsRequiredThenEveryRequestNeedsItAndWithoutOneTheHostMustBeThisMachine() throws Exception {
        TroupeConfig everywhere = config.withDashboard(config.dashboard().withHost("0.0.0.0"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Dashboard.start(vertx, everywhere, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a loopback address: set a token");

        Dashboard open = start(null, false);
        HttpResponse<Buffer> rebound = web.get(open.port(), "127.0.0.1", "/api/info").putHeader("Host", "evil.example:8070")
                .send().await(10, TimeUnit.SECONDS);
        assertThat(rebound.statusCode()).isEqualTo(403);
        assertThat(get(open.port(), "/api/info").statusCode()).isEqualTo(200);

        String token = "0123456789abcdef0123";
        Dashboard guarded = start(token, false);
        assertThat(get(guarded.port(), "/api/info").statusCode()).isEqualTo(401);
        assertThat(web.get(guarded.port(), "127.0.0.1", "/api/info").putHeader("Authorization", "Bearer wrong-token-wrong-token")
                .send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(401);
        assertThat(web.get(guarded.port(), "127.0.0.1", "/api/info").putHeader("Authorization", "Bearer " + token)
                .send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> login = web.get(guarded.port(), "127.0.0.1", "/?token=" + token).followRedirects(false)
                .send().await(10, TimeUnit.SECONDS);
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.cookies().get(0);
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
        assertThat(web.get(guarded.port(), "127.0.0.1", "/api/info").putHeader("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    // ---- helpers ----

    private Dashboard start(String token, boolean actions) {
        Dashboard dashboard = Dashboard.start(vertx, config, token, actions);
        started.add(dashboard);
        return dashboard;
    }

    private HttpResponse<Buffer> get(int port, String uri) throws Exception {
        return web.get(port, "127.0.0.1", uri).send().await(30, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> post(int port, String uri, JsonObject body, boolean header) throws Exception {
        var request = web.post(port, "127.0.0.1", uri);
        if (header) {
            request.putHeader("X-Troupe-Action", "1");
        }
        return request.sendJsonObject(body).await(30, TimeUnit.SECONDS);
    }

    private void send(KafkaCluster kafka, BatchDescriptor descriptor, List<JobResult> results, List<ProgressEvent> events) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        if (descriptor != null) {
            records.add(new ProducerRecord<>(topics.batches(), descriptor.batchId(), text(new BatchCodec().encode(descriptor))));
        }
        results.forEach(r -> records.add(new ProducerRecord<>(topics.results(), r.jobId(), text(codec.encodeResult(r)))));
        events.forEach(e -> records.add(new ProducerRecord<>(topics.progress(), e.jobId(), text(new ProgressCodec().encode(e)))));
        kafka.produce(records);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JobResult result(String jobId, JobStatus status, int run) {
        JobResult.Error error = status == JobStatus.FAILED
                ? new JobResult.Error("GIVON_GENERATION_FAILED", "the pose could not be tracked", false, List.of()) : null;
        return new JobResult(jobId, "spring", "studio-a", status, "gen-" + jobId.replace(':', '-'),
                status == JobStatus.SUCCEEDED ? "https://cdn.givon.example/" + jobId.replace(':', '-') + ".mp4" : null, Tokens.of(10), 1, error,
                new JobResult.Timings(T0, T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(90)),
                Map.of("character", "ada", "motion", "salsa"), run);
    }

    private static ProgressEvent submitted(String jobId) {
        return new ProgressEvent(jobId, 1, "spring", "studio-a", ProgressEvent.Kind.SUBMITTED, T0.plusSeconds(2), "w", null, null,
                "gen-" + jobId.replace(':', '-'), 1, null, null);
    }
}
