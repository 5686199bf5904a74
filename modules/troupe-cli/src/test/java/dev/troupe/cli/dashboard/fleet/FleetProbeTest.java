package dev.troupe.cli.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.client.KafkaConnection;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.worker.Worker;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.runner.RetryPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fleet probe against a real worker and simulator on loopback, the shared broker, and endpoints that misbehave. */
@ExtendWith(KafkaClusterExtension.class)
class FleetProbeTest {

    private static final int PARTITIONS = 3;
    private static final String LIMITED = "studio-a";
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

    private Vertx vertx;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void timeouts() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
        Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
    }

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aLiveWorkerIsUpWithItsLimitsAnswersAndBudgetsAndTheLagOfEveryPartitionFallsToZeroWhenItsJobsAreDone(KafkaCluster kafka)
            throws Exception {
        String suffix = kafka.uniqueTopic("f").substring(2);
        String jobs = "jobs-" + suffix;
        String results = "results-" + suffix;
        String group = "workers-" + suffix;
        kafka.createTopic(jobs, PARTITIONS);
        kafka.createTopic(results, 1);
        kafka.createTopic("dlq-" + suffix, 1);
        kafka.createTopic("progress-" + suffix, 1);
        kafka.createTopic("control-" + suffix, 1, Map.of("cleanup.policy", "compact"));
        int jobCount = 6;
        for (int i = 0; i < jobCount; i++) {
            kafka.produce(jobs, "f-" + i, job("f-" + i, i % 2 == 0 ? LIMITED : null));
        }
        KafkaConnection connection = KafkaConnection.of(kafka.bootstrapServers());

        // No worker yet: the group has committed nothing, so each partition counts from its earliest offset.
        FleetProbe before = open(FleetProbe.start(vertx, connection, group, jobs, List.of(), PROBE_INTERVAL));
        await("lag before any worker").until(() -> before.latest().lag().total() != null && before.latest().lag().total() == jobCount);
        assertThat(before.latest().lag().partitions()).extracting(ConsumerLag.PartitionLag::partition).containsExactly(0, 1, 2);
        assertThat(before.latest().lag().partitions()).allSatisfy(p -> assertThat(p.committed()).isNull());
        assertThat(before.latest().lag().error()).isNull();
        before.close();

        // Generations end only when the test moves the simulator's clock: the probe sees jobs at Givon first.
        ManualSimClock simClock = SimClock.manual();
        GivonSimulator simulator = GivonSimulator.start(vertx, SimulatorConfig.builder().fixedGenerationTime(Duration.ofSeconds(20))
                .seed(42).build(), simClock).await(10, TimeUnit.SECONDS);
        opened.add(() -> simulator.close().await(10, TimeUnit.SECONDS));
        Worker worker = Worker.start(vertx, workerConfig(kafka, simulator, suffix, group).build());
        opened.add(worker);
        URI live = URI.create("http://127.0.0.1:" + worker.opsPort() + "/metrics");
        URI dead = closedPort();
        FleetProbe probe = open(FleetProbe.start(vertx, connection, group, jobs, List.of(live, dead), PROBE_INTERVAL));
        AtomicInteger changes = new AtomicInteger();
        probe.onChange(changes::incrementAndGet);

        await("jobs at Givon seen by the probe").until(() -> {
            WorkerScrape w = workerAt(probe, live);
            return w != null && w.up() && w.inFlight() != null && w.inFlight() > 0 && w.answers().get("2xx") >= w.inFlight();
        });
        FleetSnapshot atGivon = probe.latest();
        WorkerScrape busy = atGivon.workers().get(0);
        assertThat(busy.error()).isNull();
        assertThat(busy.max()).isEqualTo(4);
        assertThat(busy.share()).as("no account limit: the share is worker.concurrency").isEqualTo(4);
        assertThat(busy.limit()).isBetween(1, 4);
        assertThat(busy.inFlight()).isLessThanOrEqualTo(busy.limit());
        assertThat(busy.circuitOpen()).isFalse();
        assertThat(busy.keyRefused()).isFalse();
        assertThat(busy.answers()).containsOnlyKeys(WorkerMetricNames.ANSWER_CLASSES);
        assertThat(busy.malformed()).isZero();
        assertThat(busy.budgets()).containsOnlyKeys("default", LIMITED);
        WorkerScrape.BudgetFigures limited = busy.budgets().get(LIMITED);
        assertThat(limited.limited()).isTrue();
        assertThat(limited.limit()).isEqualTo(Tokens.of(100_000));
        assertThat(limited.windowSeconds()).isEqualTo(3600);
        assertThat(limited.reserved()).isNotNull();
        assertThat(busy.budgets().get("default").limited()).isFalse();
        assertThat(busy.budgets().get("default").limit()).isNull();
        assertThat(busy.budgets().get("default").windowSeconds()).isNull();

        WorkerScrape down = atGivon.workers().get(1);
        assertThat(down.endpoint()).isEqualTo(dead.toString());
        assertThat(down.up()).isFalse();
        assertThat(down.error()).isNotBlank();
        assertThat(down.inFlight()).isNull();
        assertThat(down.answers()).isEmpty();

        JsonObject json = atGivon.toJson(20);
        assertThat(json.getInteger("inFlight")).isEqualTo(busy.inFlight());
        assertThat(json.getInteger("limit")).as("the down worker adds nothing").isEqualTo(busy.limit());
        assertThat(json.getInteger("maxInFlight")).isEqualTo(20);
        assertThat(json.getJsonArray("workers")).hasSize(2);
        assertThat(json.getJsonArray("workers").getJsonObject(1).getBoolean("up")).isFalse();
        assertThat(json.getJsonArray("workers").getJsonObject(1).getString("error")).isEqualTo(down.error());
        assertThat(json.getJsonArray("workers").getJsonObject(0).getJsonObject("answers").getLong("2xx"))
                .isEqualTo(busy.answers().get("2xx"));
        assertThat(json.getJsonObject("lag").getString("group")).isEqualTo(group);
        assertThat(atGivon.toJson(null).getValue("maxInFlight")).isNull();

        await("every job done and committed").until(() -> {
            simClock.advance(Duration.ofSeconds(30));
            ConsumerLag lag = probe.latest().lag();
            return lag.total() != null && lag.total() == 0 && lag.partitions().size() == PARTITIONS
                    && lag.partitions().stream().allMatch(p -> p.lag() == 0 && p.committed() != null);
        });
        assertThat(kafka.readAll(results)).hasSize(jobCount);
        await("the answers counted after the jobs").until(() -> {
            WorkerScrape w = workerAt(probe, live);
            return w.inFlight() == 0 && w.answers().get("2xx") >= 2L * jobCount;
        });
        assertThat(probe.latest().toJson(null).getJsonObject("lag").getLong("total")).isZero();
        assertThat(changes.get()).isPositive();
    }

    @Test
    void everyWorkerSeriesTheProbeReadsIsInARealWorkersScrape(KafkaCluster kafka) throws Exception {
        String suffix = kafka.uniqueTopic("n").substring(2);
        kafka.createTopic("jobs-" + suffix, 1);
        kafka.createTopic("results-" + suffix, 1);
        kafka.createTopic("dlq-" + suffix, 1);
        GivonSimulator simulator = GivonSimulator.start(vertx, SimulatorConfig.builder().seed(1).build()).await(10, TimeUnit.SECONDS);
        opened.add(() -> simulator.close().await(10, TimeUnit.SECONDS));
        Worker worker = Worker.start(vertx, workerConfig(kafka, simulator, suffix, "workers-" + suffix).build());
        opened.add(worker);

        PrometheusText.Parsed scrape = PrometheusText.parse(worker.registry().scrape());

        assertThat(scrape.malformed()).isZero();
        java.util.Set<String> names = scrape.samples().stream().map(PrometheusText.Sample::name).collect(Collectors.toSet());
        for (WorkerMetricNames series : WorkerMetricNames.values()) {
            assertThat(names).as("the worker serves " + series.scraped).contains(series.scraped);
        }
        assertThat(scrape.samples().stream().filter(s -> s.name().equals(WorkerMetricNames.GIVON_EXCHANGES.scraped))
                .map(s -> s.labels().get(WorkerMetricNames.TAG_CLASS)).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(WorkerMetricNames.ANSWER_CLASSES);
    }

    @Test
    void endpointsThatMisbehaveAreDownWithWhyAndAGarbledScrapeKeepsWhatItCouldRead(KafkaCluster kafka) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            switch (request.path()) {
                case "/big" -> {
                    request.response().setChunked(true);
                    Buffer chunk = Buffer.buffer("# " + "x".repeat(64 * 1024 - 3) + "\n");
                    for (int i = 0; i < 80; i++) { // 5 MiB
                        request.response().write(chunk);
                    }
                    request.response().end();
                }
                case "/stuck" -> request.response().setChunked(true).write("troupe_jobs_in_flight 1\n"); // never ends
                case "/unavailable" -> request.response().setStatusCode(503).end("starting");
                case "/garbled" -> request.response().end("""
                        troupe_jobs_in_flight 2
                        troupe_concurrency_limit{ 5
                        troupe_concurrency_share -1
                        troupe_worker_ready 1
                        troupe_givon_exchanges_total{kind="submit",class="2xx"} 3
                        troupe_givon_exchanges_total{kind="status",class="2xx"} 4
                        troupe_givon_exchanges_total{kind="submit",class="teapot"} 1
                        troupe_givon_exchanges_total{kind="submit",class="429"} NaN
                        """);
                default -> request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        opened.add(() -> server.close().await(10, TimeUnit.SECONDS));
        String base = "http://127.0.0.1:" + server.actualPort();
        List<URI> endpoints = List.of(URI.create(base + "/big"), URI.create(base + "/stuck"), URI.create(base + "/unavailable"),
                URI.create(base + "/garbled"));
        Instant fixed = Instant.parse("2026-12-07T00:00:00Z");
        String missingTopic = "absent-" + kafka.uniqueTopic("x");

        FleetProbe probe = open(FleetProbe.start(vertx, KafkaConnection.of(kafka.bootstrapServers()), "nobody", missingTopic, endpoints,
                PROBE_INTERVAL, Clock.fixed(fixed, ZoneOffset.UTC)));

        await("a probe of every endpoint").until(() -> probe.latest().workers().size() == endpoints.size()
                && probe.latest().lag().error() != null && !probe.latest().lag().error().equals("not probed yet"));
        FleetSnapshot snapshot = probe.latest();
        assertThat(snapshot.at()).isEqualTo(fixed);
        assertThat(snapshot.workers().get(0).up()).isFalse();
        assertThat(snapshot.workers().get(0).error()).contains("over " + FleetProbe.MAX_BODY_BYTES + " bytes");
        assertThat(snapshot.workers().get(1).up()).isFalse();
        assertThat(snapshot.workers().get(1).error()).contains("no complete answer within 2000 ms");
        assertThat(snapshot.workers().get(2).up()).isFalse();
        assertThat(snapshot.workers().get(2).error()).contains("HTTP 503");
        WorkerScrape garbled = snapshot.workers().get(3);
        assertThat(garbled.up()).isTrue();
        assertThat(garbled.malformed()).isEqualTo(1);
        assertThat(garbled.inFlight()).isEqualTo(2);
        assertThat(garbled.limit()).isNull();
        assertThat(garbled.share()).as("a negative count is not believed").isNull();
        assertThat(garbled.ready()).isTrue();
        assertThat(garbled.answers()).containsEntry("2xx", 7L).containsEntry("other", 1L).containsEntry("429", 0L);
        assertThat(snapshot.lag().total()).isNull();
        assertThat(snapshot.lag().partitions()).isEmpty();
        assertThat(snapshot.lag().error()).contains(kafka.bootstrapServers());
        JsonObject json = snapshot.toJson(null);
        assertThat(json.getInteger("inFlight")).isEqualTo(2);
        assertThat(json.getInteger("limit")).isZero();
        assertThat(json.getJsonObject("lag").getString("error")).isEqualTo(snapshot.lag().error());
    }

    @Test
    void closingWhileTheLagReadingWaitsForAnUnreachableKafkaIsQuickAndStopsTheLagThread() throws Exception {
        URI nobody = closedPort();
        KafkaConnection unreachable = KafkaConnection.of("127.0.0.1:" + nobody.getPort());
        FleetProbe probe = FleetProbe.start(vertx, unreachable, "g", "jobs", List.of(nobody), PROBE_INTERVAL);
        await("a lag reading under way").until(FleetProbeTest::lagThreadAlive);

        long began = System.nanoTime();
        probe.close();
        probe.close();

        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("close waits at most 3 s for the reading, then interrupts it")
                .isLessThan(FleetProbe.LAG_TIMEOUT);
        await("the lag thread ended").atMost(Duration.ofSeconds(10)).until(() -> !lagThreadAlive());
        assertThat(probe.latest().workers()).as("no probe ended before the close").isEmpty();
    }

    private static boolean lagThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(LagProbe.THREAD) && t.isAlive());
    }

    private FleetProbe open(FleetProbe probe) {
        opened.add(probe);
        return probe;
    }

    private static WorkerScrape workerAt(FleetProbe probe, URI endpoint) {
        return probe.latest().workers().stream().filter(w -> w.endpoint().equals(endpoint.toString())).findFirst().orElse(null);
    }

    /** A loopback port nothing listens on (it was free a moment ago and is not reused at once). */
    private static URI closedPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    private static WorkerConfig.Builder workerConfig(KafkaCluster kafka, GivonSimulator simulator, String suffix, String group) {
        GivonConfig givon = GivonConfig.builder()
                .baseUrl(simulator.baseUrl())
                .apiKey(SimulatorConfig.DEFAULT_API_KEY)
                .pollBackoff(new PollBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0))
                .responseTimeout(Duration.ofSeconds(2))
                .build();
        BudgetPolicy budgets = new BudgetPolicy(Map.of(LIMITED, new BudgetRule(Tokens.of(100_000), Duration.ofHours(1), ExhaustionPolicy.WAIT)),
                new BudgetRule(BudgetPolicy.UNLIMITED, Duration.ofDays(1), ExhaustionPolicy.WAIT));
        return WorkerConfig.builder(kafka.bootstrapServers(), givon)
                .groupId(group)
                .topics(new WorkerConfig.Topics("jobs-" + suffix, "results-" + suffix, "dlq-" + suffix, "state-" + suffix,
                        "budget-" + suffix, "control-" + suffix, "progress-" + suffix))
                .journal(new WorkerConfig.Journal(false, Duration.ofDays(7)))
                .tracker(WorkerConfig.Tracker.OFF)
                .retry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(100)))
                .maxConcurrency(4)
                .budget(budgets)
                .budgetScope(WorkerConfig.BudgetScope.WORKER)
                .ops("127.0.0.1", 0);
    }

    private static String job(String jobId, String tenant) {
        return "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\","
                + (tenant == null ? "" : "\"tenant\":\"" + tenant + "\",")
                + "\"batchId\":\"fleet\",\"metadata\":{\"character\":\"c1\"},"
                + "\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}";
    }
}
