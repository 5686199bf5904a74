package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What an operator scrapes from a worker's /metrics, and the README's table of it. */
class WorkerMetricsTest extends WorkerTestSupport {

    private static final List<String> LATENCY_BUCKETS = List.of("1.0", "5.0", "10.0", "30.0", "60.0", "120.0", "300.0", "600.0",
            "900.0", "1800.0", "3600.0", "+Inf");

    @Test
    void aWorkersScrapeTellsBudgetsByLimitGivonExchangesByKindLatencyBucketsLagAndTheJvm() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker worker = bed.startWorker(ObservedWorker.config(bed).build());
            // Before any job, the series rules and dashboards query exist already, at zero.
            Scrape before = Scrape.of(worker);
            assertThat(before.value("troupe_givon_exchanges_total", "kind", "submit", "class", "2xx")).contains(0.0);
            assertThat(before.value("troupe_jobs_total", "outcome", "succeeded", "tenant", ObservedWorker.LIMITED)).contains(0.0);

            for (int i = 0; i < 4; i++) {
                bed.produce("limited-" + i, Jobs.valid("limited-" + i, ObservedWorker.LIMITED));
                bed.produce("default-" + i, Jobs.valid("default-" + i, null));
            }
            bed.produce("walk-in-0", Jobs.valid("walk-in-0", "walk-in")); // no budget of its own: the default one
            bed.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Scrape s = Scrape.of(worker);
                return s.value("troupe_jobs_total", "outcome", "succeeded", "tenant", "default").orElse(0.0) == 5
                        && s.value("troupe_jobs_total", "outcome", "succeeded", "tenant", ObservedWorker.LIMITED).orElse(0.0) == 4;
            });
            // Every answer the simulator gave was counted once (the last status reads may still be on their way back).
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Scrape.of(worker).sum("troupe_givon_exchanges_total") == bed.simulator.ledger().snapshot().totalResponses());
            Scrape s = Scrape.of(worker);

            assertThat(s.help.entrySet().stream().filter(e -> e.getKey().startsWith("troupe_")))
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getValue()).as("HELP of " + e.getKey()).isNotBlank());
            assertThat(s.samples.stream().filter(x -> x.name().startsWith("troupe_")).map(x -> x.name())
                    .filter(name -> s.help.keySet().stream().noneMatch(name::startsWith))).isEmpty();

            // The unlimited default budget: no limit, no remaining, no window; the limited one has them.
            assertThat(s.value("troupe_budget_limited", "tenant", "default")).contains(0.0);
            assertThat(s.value("troupe_budget_limited", "tenant", ObservedWorker.LIMITED)).contains(1.0);
            assertThat(s.find("troupe_budget_tokens", "tenant", "default")).extracting(x -> x.labels().get("state"))
                    .containsExactlyInAnyOrder("reserved", "spent");
            assertThat(s.value("troupe_budget_tokens", "tenant", ObservedWorker.LIMITED, "state", "limit"))
                    .contains(ObservedWorker.LIMIT.toBigDecimal().doubleValue());
            double spent = s.value("troupe_budget_tokens", "tenant", ObservedWorker.LIMITED, "state", "spent").orElseThrow();
            assertThat(spent).isPositive();
            assertThat(s.value("troupe_budget_tokens", "tenant", ObservedWorker.LIMITED, "state", "remaining"))
                    .contains(ObservedWorker.LIMIT.toBigDecimal().doubleValue() - spent);
            assertThat(s.value("troupe_budget_window_seconds", "tenant", ObservedWorker.LIMITED))
                    .contains((double) ObservedWorker.WINDOW.toSeconds());
            assertThat(s.find("troupe_budget_window_seconds", "tenant", "default")).isEmpty();
            assertThat(s.value("troupe_budget_reservation_seconds_count", "tenant", ObservedWorker.LIMITED).orElseThrow())
                    .isGreaterThanOrEqualTo(4);
            // Tenant labels are budget keys only.
            assertThat(s.samples).noneMatch(x -> "walk-in".equals(x.labels().get("tenant")));

            // Givon exchanges by kind and class: the 9 submissions, at least one status read each, the key checked at start.
            assertThat(s.value("troupe_givon_exchanges_total", "kind", "submit", "class", "2xx")).contains(9.0);
            assertThat(s.value("troupe_givon_exchanges_total", "kind", "status", "class", "2xx").orElseThrow())
                    .isGreaterThanOrEqualTo(9);
            assertThat(s.sum("troupe_givon_exchanges_total", "kind", "probe")).isGreaterThanOrEqualTo(1);
            assertThat(s.sum("troupe_givon_exchanges_total")).isEqualTo(bed.simulator.ledger().snapshot().totalResponses());
            assertThat(s.find("troupe_givon_calls_total")).isEmpty();

            // Latency as a histogram with buckets for minutes-long generations.
            for (String le : LATENCY_BUCKETS) {
                assertThat(s.value("troupe_job_latency_seconds_bucket", "outcome", "succeeded", "le", le)).as("le " + le).isPresent();
            }
            assertThat(s.value("troupe_job_latency_seconds_bucket", "outcome", "succeeded", "le", "+Inf")).contains(9.0);
            assertThat(s.value("troupe_job_latency_seconds_count", "outcome", "succeeded")).contains(9.0);

            // Queued and parked by budget key; the gate and readiness.
            for (String tenant : List.of("default", ObservedWorker.LIMITED)) {
                assertThat(s.value("troupe_jobs_queued", "tenant", tenant)).contains(0.0);
                assertThat(s.value("troupe_jobs_parked", "tenant", tenant, "held", "memory")).contains(0.0);
                assertThat(s.value("troupe_jobs_parked", "tenant", tenant, "held", "journal")).contains(0.0);
            }
            assertThat(s.value("troupe_worker_ready")).contains(1.0);
            assertThat(s.value("troupe_givon_circuit_open")).contains(0.0);
            assertThat(s.value("troupe_givon_key_refused")).contains(0.0);

            // The Kafka clients' own meters: the job consumer's lag for each partition it owns, the results producer.
            await("consumer lag per partition").atMost(Duration.ofSeconds(60)).until(() ->
                    lagPartitions(Scrape.of(worker), bed.jobsTopic).size() == WorkerTestBed.PARTITIONS);
            Scrape later = Scrape.of(worker);
            assertThat(lagPartitions(later, bed.jobsTopic).values()).containsOnly(0.0);
            assertThat(later.seriesNames()).anyMatch(name -> name.startsWith("kafka_producer_"));
            assertThat(later.samples).anyMatch(x -> x.name().startsWith("kafka_producer_")
                    && x.labels().getOrDefault("client_id", "").endsWith("-results"));
            assertThat(later.seriesNames()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                    "system_cpu_usage", "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files",
                    "kafka_consumer_fetch_manager_records_lag_max");
        }
    }

    /** Generations end only when the test moves the simulator's clock: two run, three wait for a slot. */
    @Test
    void jobsWaitingForASlotAreCountedAsQueuedByBudgetKeyUntilTheyReachGivon() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (WorkerTestBed bed = bed(sim -> {}, clock)) {
            Worker worker = bed.startWorker(ObservedWorker.config(bed).maxConcurrency(2).build());
            for (int i = 0; i < 3; i++) {
                bed.produce("wait-limited-" + i, Jobs.valid("wait-limited-" + i, ObservedWorker.LIMITED));
            }
            for (int i = 0; i < 2; i++) {
                bed.produce("wait-default-" + i, Jobs.valid("wait-default-" + i, null));
            }
            bed.flush();
            await("two at Givon, three queued").atMost(Duration.ofSeconds(30)).until(() -> {
                Scrape s = Scrape.of(worker);
                return s.value("troupe_jobs_in_flight").orElse(0.0) == 2 && s.sum("troupe_jobs_queued") == 3;
            });
            Scrape waiting = Scrape.of(worker);
            assertThat(waiting.find("troupe_jobs_queued")).extracting(x -> x.labels().get("tenant"))
                    .containsExactlyInAnyOrder("default", ObservedWorker.LIMITED);
            assertThat(waiting.sum("troupe_jobs_parked")).isZero();

            await("every job finished").atMost(Duration.ofSeconds(60)).until(() -> {
                clock.advance(Duration.ofSeconds(30));
                return Scrape.of(worker).sum("troupe_jobs_total") == 5;
            });
            Scrape done = Scrape.of(worker);
            assertThat(done.sum("troupe_jobs_queued")).isZero();
            assertThat(done.value("troupe_jobs_total", "outcome", "succeeded", "tenant", ObservedWorker.LIMITED)).contains(3.0);
        }
    }

    /** The README's metrics table names exactly the troupe_* metrics a worker serves, with their types. */
    @Test
    void theReadmeTableListsEveryTroupeMetricTheWorkerServesAndNoOther() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker worker = bed.startWorker(ObservedWorker.config(bed).build());
            Scrape s = Scrape.of(worker);
            Map<String, String> served = new TreeMap<>();
            s.types.forEach((name, type) -> {
                if (name.startsWith("troupe_")) {
                    served.put(name, type);
                }
            });
            // A timer's _max is a gauge of its own in Prometheus: the README lists it with its histogram.
            served.keySet().removeIf(name -> name.endsWith("_max") && "histogram".equals(served.get(name.substring(0, name.length() - 4))));
            assertThat(readmeTable()).as("README metrics table (name -> type) against the worker's scrape").isEqualTo(served);
        }
    }

    /** The job consumer's lag by partition of the jobs topic. */
    private static Map<String, Double> lagPartitions(Scrape s, String topic) {
        Map<String, Double> lag = new TreeMap<>();
        for (Scrape.Sample x : s.find("kafka_consumer_fetch_manager_records_lag", "topic", topic)) {
            if (x.labels().containsKey("partition")) {
                lag.put(x.labels().get("partition"), x.value());
            }
        }
        return lag;
    }

    /** The rows of the README's metrics table: {@code | `name` | type | labels | meaning |}. */
    static Map<String, String> readmeTable() throws Exception {
        Path readme = Path.of("").toAbsolutePath().resolve("../../README.md").normalize();
        assertThat(readme).as("the repository's README, from the module directory").exists();
        Pattern row = Pattern.compile("^\\| `(troupe_[a-z_]+)` \\| (counter|gauge|histogram) \\|.*\\|\\s*$");
        Map<String, String> table = new TreeMap<>();
        for (String line : Files.readAllLines(readme)) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                assertThat(table.put(m.group(1), m.group(2))).as("README lists " + m.group(1) + " once").isNull();
            }
        }
        assertThat(table).as("README metrics table rows").isNotEmpty();
        return table;
    }

}
