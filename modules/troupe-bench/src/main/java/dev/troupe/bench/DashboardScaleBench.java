package dev.troupe.bench;

import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.dashboard.BatchQuery;
import dev.troupe.cli.dashboard.Dashboard;
import dev.troupe.cli.dashboard.DashboardView;
import dev.troupe.cli.dashboard.JobPhase;
import dev.troupe.cli.kafka.TopicProvisioner;
import dev.troupe.model.BatchCodec;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.Tokens;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench/run --only dashboard}: troupe dashboard at scale. (1) The view alone, fed 100,000 results of 200
 * batches in this JVM: the heap it retains per job row after full collections, with room for all of them and with a
 * bound of a fifth, and how long its queries take. (2) The whole dashboard on the in-JVM broker: the same results
 * and descriptors on the topics, the time until its feed has read them, and the latency of the pages' requests over
 * loopback HTTP. Prints a table; writes bench/results/dashboard-latest.md.
 */
public final class DashboardScaleBench {

    static final int BATCHES = 200;
    static final int JOBS_PER_BATCH = 500;
    static final int REQUESTS = 300;
    static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    static final String[] CHARACTERS = {"ada", "basil", "coco", "dmitri", "esme", "farouk", "gia", "hiro", "ines", "jun"};
    static final String[] MOTIONS = {"salsa", "tango", "ballet", "hiphop", "flamenco", "waltz", "breakdance", "swing",
        "samba", "robot"};

    private DashboardScaleBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // not left hanging on Vert.x's and Kafka's non-daemon threads
        }
        System.exit(0); // Kafka and Vert.x leave non-daemon threads behind; the figures are written
    }

    private static void run(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), dev.troupe.model.ValidationLimits.DEFAULTS);
        List<String> lines = new ArrayList<>();
        lines.add("# Dashboard at scale");
        lines.add("");
        MachineInfo machine = MachineInfo.current();
        lines.add("Run " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " on " + machine.cpuModel() + ", "
                + machine.cores() + " cores, " + machine.java() + ", load "
                + MachineInfo.loadAverage() + ", max heap " + Format.mebibytes(Runtime.getRuntime().maxMemory()) + ". "
                + BATCHES + " batches x " + JOBS_PER_BATCH + " jobs = " + Format.count((long) BATCHES * JOBS_PER_BATCH)
                + " results (8% FAILED with a message, 2% REJECTED), each batch with its descriptor.");
        lines.add("");
        lines.add("## The view in memory (results handed to it directly)");
        lines.add("");
        lines.add("| dashboard.max-results | rows held | batches held | heap retained | bytes per row held | apply 100,000 results |");
        lines.add("|---|---|---|---|---|---|");
        lines.add(memoryRow(200_000));
        lines.add(memoryRow(20_000));
        lines.add("");
        lines.add("## Queries on the view (100,000 rows held; " + REQUESTS + " each, this thread)");
        lines.add("");
        lines.add("| query | p50 | p99 | max |");
        lines.add("|---|---|---|---|");
        lines.addAll(viewQueries());
        lines.add("");
        lines.add("## The whole dashboard on the in-JVM broker (loopback HTTP, " + REQUESTS + " requests each, one at a time)");
        lines.add("");
        lines.addAll(endToEnd(codec));
        String markdown = String.join("\n", lines) + "\n";
        System.out.print(markdown);
        Files.createDirectories(out);
        Files.writeString(out.resolve("dashboard-latest.md"), markdown, StandardCharsets.UTF_8);
        System.err.println("wrote " + out.resolve("dashboard-latest.md"));
    }

    /** Every result of the workload, batch by batch, in job order. */
    static void workload(Consumer<BatchDescriptor> descriptors, Consumer<JobResult> results) {
        for (int b = 0; b < BATCHES; b++) {
            String batch = "studio-" + (b % 7) + "-showcase-" + b;
            String tenant = "studio-" + (b % 7);
            descriptors.accept(new BatchDescriptor(batch, tenant, JOBS_PER_BATCH, Tokens.of(JOBS_PER_BATCH * 35L), T0));
            for (int j = 0; j < JOBS_PER_BATCH; j++) {
                results.accept(result(batch, tenant, j, b * JOBS_PER_BATCH + j));
            }
        }
    }

    static JobResult result(String batch, String tenant, int j, int n) {
        String character = CHARACTERS[j % CHARACTERS.length];
        String motion = MOTIONS[(j / CHARACTERS.length) % MOTIONS.length];
        String jobId = batch + ":" + character + ":" + motion + ":take-" + (j / 100);
        JobStatus status = n % 50 == 7 ? JobStatus.REJECTED : n % 12 == 5 ? JobStatus.FAILED : JobStatus.SUCCEEDED;
        String generationId = status == JobStatus.REJECTED ? null : String.format(Locale.ROOT, "gen_%016x", n * 2_654_435_761L);
        JobResult.Error error = switch (status) {
            case FAILED -> new JobResult.Error("GIVON_GENERATION_FAILED", "Givon failed the generation: pose tracking lost the subject at 3.2 s",
                    false, List.of());
            case REJECTED -> new JobResult.Error("BUDGET_EXHAUSTED", "the budget of " + tenant + " is spent for this window", false, List.of());
            default -> null;
        };
        Instant submitted = T0.plusSeconds(n / 10);
        return new JobResult(jobId, batch, tenant, status, generationId,
                status == JobStatus.SUCCEEDED ? "https://cdn.givon.example/v/" + generationId + ".mp4" : null,
                Tokens.of(status == JobStatus.REJECTED ? 0 : 35), status == JobStatus.REJECTED ? 0 : 1, error,
                new JobResult.Timings(T0, submitted.minusSeconds(1), status == JobStatus.REJECTED ? null : submitted, submitted.plusSeconds(90)),
                Map.of("character", character, "motion", motion, "prompt", "stage", "project", "spring-showcase-2026"), 1);
    }

    private static String memoryRow(int maxRows) throws InterruptedException {
        HeapReading before = HeapReading.afterGc();
        DashboardView view = new DashboardView(maxRows, 1_000, Clock.systemUTC());
        long start = System.nanoTime();
        workload(view::accept, view::accept);
        double applySeconds = (System.nanoTime() - start) / 1e9;
        HeapReading after = HeapReading.afterGc();
        var held = view.held();
        long retained = after.heapUsed() - before.heapUsed();
        String row = "| " + Format.count(maxRows) + " | " + Format.count(held.rows()) + " | " + held.batches() + " | "
                + Format.mebibytes(retained) + " | " + Format.count(held.rows() == 0 ? 0 : retained / held.rows()) + " | "
                + Format.seconds(applySeconds) + " s |";
        java.lang.ref.Reference.reachabilityFence(view);
        return row;
    }

    private static List<String> viewQueries() {
        DashboardView view = new DashboardView(200_000, 1_000, Clock.systemUTC());
        workload(view::accept, view::accept);
        String batch = "studio-3-showcase-101";
        List<String> rows = new ArrayList<>();
        rows.add(timed("batches, first page of 50 sorted by progress", () -> view.batches(
                new BatchQuery(null, null, BatchQuery.State.ALL, BatchQuery.Sort.PROGRESS, true, 0, 50))));
        rows.add(timed("batches filtered by text and tenant", () -> view.batches(
                new BatchQuery("showcase-1", "studio-3", BatchQuery.State.ALL, BatchQuery.Sort.NAME, false, 0, 50))));
        rows.add(timed("one batch with its failures grouped", () -> view.batch(batch)));
        rows.add(timed("one batch's FAILED jobs, first page of 100", () -> view.jobs(batch, JobPhase.FAILED, null, 0, 100)));
        rows.add(timed("one batch's jobs, last page of 100", () -> view.jobs(batch, null, null, 400, 100)));
        rows.add(timed("throughput chart", view::throughput));
        return rows;
    }

    private static String timed(String name, Runnable query) {
        for (int i = 0; i < 50; i++) {
            query.run(); // warm up
        }
        double[] micros = new double[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long start = System.nanoTime();
            query.run();
            micros[i] = (System.nanoTime() - start) / 1e3;
        }
        return row(name, micros);
    }

    private static List<String> endToEnd(JobCodec codec) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BenchKafka kafka = BenchKafka.start()) {
            TroupeConfig config = TroupeConfig.defaults().withBootstrapServers(kafka.bootstrapServers());
            config = config.withDashboard(config.dashboard().withPort(0).withMetrics(List.of()));
            TopicProvisioner.create(config.kafka(), config.topics());
            BatchCodec batches = new BatchCodec();
            long produceStart = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer("dashboard-bench")) {
                String results = config.topics().results().name();
                String descriptors = config.topics().batches().name();
                workload(d -> producer.send(new ProducerRecord<>(descriptors, bytes(d.batchId()), batches.encode(d))),
                        r -> producer.send(new ProducerRecord<>(results, bytes(r.jobId()), codec.encodeResult(r))));
                producer.flush();
            }
            double produced = (System.nanoTime() - produceStart) / 1e9;
            Vertx vertx = Vertx.vertx();
            HeapReading before = HeapReading.afterGc();
            long start = System.nanoTime();
            Dashboard dashboard = Dashboard.start(vertx, config, null, false);
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + dashboard.port();
            while (true) {
                String info = get(http, base + "/api/info");
                if (info.contains("\"caughtUp\":true") && info.contains("\"results\":" + (BATCHES * JOBS_PER_BATCH) + ",")) {
                    break;
                }
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("the dashboard did not read the topics in 5 minutes: " + info);
                }
                Thread.sleep(50); // the bench's own thread, polling the server as a page would
            }
            double caughtUp = (System.nanoTime() - start) / 1e9;
            HeapReading after = HeapReading.afterGc();
            lines.add("Produced in " + Format.seconds(produced) + " s; the dashboard read " + Format.count((long) BATCHES * JOBS_PER_BATCH)
                    + " results and " + BATCHES + " descriptors in " + Format.seconds(caughtUp) + " s from its start; heap retained by the "
                    + "dashboard (view, consumers, server) " + Format.mebibytes(after.heapUsed() - before.heapUsed()) + ".");
            lines.add("");
            lines.add("| request | p50 | p99 | max |");
            lines.add("|---|---|---|---|");
            String batch = "studio-3-showcase-101";
            lines.add(httpRow(http, "GET /api/batches?sort=progress&limit=50", base + "/api/batches?sort=progress&limit=50"));
            lines.add(httpRow(http, "GET /api/batches?q=showcase-1&tenant=studio-3", base + "/api/batches?q=showcase-1&tenant=studio-3"));
            lines.add(httpRow(http, "GET /api/batches/<id>", base + "/api/batches/" + batch));
            lines.add(httpRow(http, "GET /api/batches/<id>/jobs?status=FAILED", base + "/api/batches/" + batch + "/jobs?status=FAILED"));
            lines.add(httpRow(http, "GET /api/batches/<id>/jobs?offset=400&limit=100", base + "/api/batches/" + batch + "/jobs?offset=400&limit=100"));
            lines.add(httpRow(http, "GET /api/fleet", base + "/api/fleet"));
            lines.add(httpRow(http, "GET /api/info", base + "/api/info"));
            dashboard.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        return lines;
    }

    private static String httpRow(HttpClient http, String name, String url) throws Exception {
        for (int i = 0; i < 30; i++) {
            get(http, url);
        }
        double[] micros = new double[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long start = System.nanoTime();
            get(http, url);
            micros[i] = (System.nanoTime() - start) / 1e3;
        }
        return row(name, micros);
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String row(String name, double[] micros) {
        Arrays.sort(micros);
        return "| " + name + " | " + millis(micros[micros.length / 2]) + " | " + millis(micros[(int) Math.ceil(micros.length * 0.99) - 1])
                + " | " + millis(micros[micros.length - 1]) + " |";
    }

    private static String millis(double micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
