package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker against a Givon that refuses, vanishes or answers what nobody documented (issue 9). */
class WorkerGivonTest extends WorkerTestSupport {

    @Test
    void aRefusedApiKeyHoldsEveryJobInKafkaAndReadsNotReady() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker wrongKey = bed.startWorker(bed.workerConfig(givon -> givon.apiKey("sk-not-a-key-the-simulator-knows"))
                    .maxConcurrency(4).build());
            for (int i = 0; i < 8; i++) {
                bed.produce("held-" + i, Jobs.valid("held-" + i, null));
            }
            bed.flush();
            // The start-up check and the probes after it were refused; no job was submitted or failed.
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.simulator.ledger().snapshot().responses(401) >= 4);
            assertThat(wrongKey.ready()).isFalse();
            try (TopicReader results = bed.results()) {
                assertThat(results.results()).isEmpty();
            }
            assertThat(bed.simulator.ledger().snapshot().generationsCreated()).isZero();
            assertThat(bed.committedAtLogEnd()).isFalse();

            // The key fixed (here: a worker with the right one): every job is still in Kafka and runs.
            bed.stopWorker(wrongKey);
            bed.startWorker(bed.workerConfig().maxConcurrency(4).build());
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 8);
                assertThat(TopicReader.byJobId(results.results()).values())
                        .allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
            }
        }
    }

    @Test
    void anUnreachableGivonOpensTheCircuitAndJobsWaitInsteadOfFailing() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            // A Givon that is not there: the address of a simulator that was closed.
            GivonSimulator gone = GivonSimulator.start(bed.vertx, SimulatorConfig.builder().build())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int port = gone.port();
            gone.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Worker worker = bed.startWorker(bed.workerConfig(givon -> givon.baseUrl("http://127.0.0.1:" + port))
                    .maxConcurrency(4).build());
            for (int i = 0; i < 12; i++) {
                bed.produce("outage-" + i, Jobs.valid("outage-" + i, null));
            }
            bed.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> !worker.ready());

            // Givon comes back on the same address: the next probe closes the circuit and every job runs.
            GivonSimulator back = GivonSimulator.start(bed.vertx, SimulatorConfig.builder().port(port)
                    .fixedGenerationTime(Duration.ofSeconds(20)).timeCompression(1000).build())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> results.results().size() >= 12);
                assertThat(TopicReader.byJobId(results.results()).values()).allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED);
                    // Only attempts made while the circuit was closed count: none ran out of them.
                    assertThat(r.attempts()).isLessThanOrEqualTo(2);
                });
            } finally {
                back.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(worker::ready);
        }
    }
}
