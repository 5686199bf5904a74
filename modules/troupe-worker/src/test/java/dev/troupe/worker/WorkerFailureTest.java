package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Givon misbehaving, deadlines, and what an operator sees on /metrics and /health. */
class WorkerFailureTest extends WorkerTestSupport {

    @Test
    void serverErrorsThatProveNothingAreRetriedAndUncertainSubmissionsAreNeverResubmitted() throws Exception {
        // 5xx before anything is created: a 503 with Retry-After proves it (retried), a 500 or 502 does not (uncertain).
        try (WorkerTestBed bed = bed(sim -> sim.serverErrorRate(0.2).retryAfterOn503(true).unansweredRate(0.05).failureRate(0.05))) {
            bed.startWorker(bed.workerConfig().maxConcurrency(32).build());
            int jobs = 400;
            for (int i = 0; i < jobs; i++) {
                bed.produce("rough-" + i, Jobs.valid("rough-" + i, null));
            }
            bed.flush();
            Map<String, JobResult> byJob;
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> results.results().size() >= jobs);
                byJob = TopicReader.byJobId(results.results());
            }
            assertThat(byJob).hasSize(jobs);
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
            assertThat(ledger.responses(500) + ledger.responses(502) + ledger.responses(503)).isPositive();

            long uncertain = byJob.values().stream()
                    .filter(r -> r.error() != null && r.error().code().equals("SUBMIT_UNCERTAIN")).count();
            assertThat(uncertain).isGreaterThan(ledger.unansweredRequests()).isLessThan(jobs / 2);
            assertThat(byJob.values().stream().filter(r -> r.status() == JobStatus.FAILED && r.error().code().equals("GENERATION_FAILED")))
                    .isNotEmpty().allSatisfy(r -> assertThat(r.error().message()).isNotBlank());
            // Every generation Givon created is accounted: succeeded, failed, or uncertain (those unanswered after creating).
            long accepted = byJob.values().stream().filter(r -> r.generationId() != null).count();
            assertThat(ledger.generationsCreated()).isEqualTo(accepted + ledger.unansweredRequests());
            assertThat(byJob.values().stream().filter(r -> r.attempts() > 1)).as("jobs submitted again after a 503 with Retry-After")
                    .isNotEmpty();
            // Uncertain jobs are accounted at their estimate, created or not: never less than Givon charged.
            assertThat(byJob.values().stream().map(JobResult::costTokens).reduce(Tokens.ZERO, Tokens::plus))
                    .isGreaterThanOrEqualTo(ledger.tokensCharged());
        }
    }

    @Test
    void anEmptyGivonAccountHoldsJobsInKafkaInsteadOfFailingThem() throws Exception {
        try (WorkerTestBed bed = bed(sim -> sim.tokenBalance(Tokens.of(21 * 5)))) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4).outOfTokensPause(Duration.ofMillis(300)).build());
            for (int i = 0; i < 12; i++) {
                bed.produce("credit-" + i, Jobs.valid("credit-" + i, null));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 5);
                // Several pauses later the account is still empty: nothing failed, nothing more was charged.
                await().atMost(Duration.ofSeconds(30)).until(() -> bed.simulator.ledger().snapshot().responses(402) >= 3);
                assertThat(results.results()).hasSize(5).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
                assertThat(bed.committedAtLogEnd()).isFalse();

                bed.simulator.reconfigure(faults -> faults.tokenBalance(null));
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 12);
                assertThat(TopicReader.byJobId(results.results()).values())
                        .allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }

    @Test
    void aJobWhoseDeadlinePassedBeforeSubmissionExpiresWithoutCallingGivon() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4).build());
            String late = new String(Jobs.valid("late-1", null), StandardCharsets.UTF_8)
                    .replace("\"batchId\"", "\"notAfter\":\"" + Instant.now().minusSeconds(60) + "\",\"batchId\"");
            bed.produce("late-1", Jobs.json(late));
            bed.produce("on-time-1", Jobs.valid("on-time-1", null));
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 2);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob.get("late-1").status()).isEqualTo(JobStatus.EXPIRED);
                assertThat(byJob.get("late-1").error().code()).isEqualTo("DEADLINE_PASSED");
                assertThat(byJob.get("late-1").attempts()).isZero();
                assertThat(byJob.get("on-time-1").status()).isEqualTo(JobStatus.SUCCEEDED);
            }
            assertThat(bed.simulator.ledger().snapshot().generationsFor("late-1")).isZero();
        }
    }

    @Test
    void aRepeatedJobIdIsNotSubmittedOrPaidTwice() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4).build());
            for (int copy = 0; copy < 3; copy++) {
                bed.produce("twice-1", Jobs.valid("twice-1", null));
            }
            bed.produce("marker", Jobs.valid("marker", null));
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 2);
                await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
                assertThat(TopicReader.byJobId(results.results())).containsOnlyKeys("twice-1", "marker");
            }
            assertThat(bed.simulator.ledger().snapshot().generationsFor("twice-1")).isEqualTo(1);
        }
    }

    @Test
    void opsEndpointServesPrometheusMetricsAndHealth() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(8).ops("127.0.0.1", 0).build());
            for (int i = 0; i < 10; i++) {
                bed.produce("seen-" + i, Jobs.valid("seen-" + i, null));
            }
            bed.flush();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + worker.opsPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(http, base + "/health/ready").statusCode() == 200);
            assertThat(get(http, base + "/health/live").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get(http, base + "/metrics").body().contains("troupe_jobs_total{outcome=\"succeeded\",tenant=\"default\"} 10.0"));
            String metrics = get(http, base + "/metrics").body();
            assertThat(metrics)
                    .contains("troupe_concurrency_limit 8.0")
                    .contains("troupe_jobs_in_flight")
                    .contains("troupe_budget_tokens{state=\"spent\",tenant=\"default\"}")
                    .contains("troupe_givon_exchanges_total{class=\"2xx\",kind=\"submit\"} 10.0")
                    .contains("troupe_job_latency_seconds_count{outcome=\"succeeded\"} 10");
        }
    }

    @Test
    void aSecondWorkerOnATakenOpsPortSaysWhichPortAndWhatToDo() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker first = bed.startWorker(bed.workerConfig().maxConcurrency(2).ops("127.0.0.1", 0).build());
            int taken = first.opsPort();

            assertThatThrownBy(() -> bed.startWorker(bed.workerConfig().maxConcurrency(2).ops("127.0.0.1", taken).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the ops port 127.0.0.1:" + taken + " (worker.ops.port) is already in use")
                    .hasMessageContaining("--ops-port 0");
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
