package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Graceful stop (what SIGTERM runs): it hands over at once, without waiting for what Givon runs;
 * the next worker follows those generations from the journal; nothing is run or paid twice.
 */
class WorkerShutdownTest extends WorkerTestSupport {

    @Test
    void aStoppedWorkerHandsOverWhatGivonHoldsAndTheNextWorkerFollowsIt() throws Exception {
        // 1 s generations (1,000 s compressed 1,000 times): long enough to stop the worker mid-flight.
        try (WorkerTestBed bed = bed(sim -> sim.fixedGenerationTime(Duration.ofSeconds(1_000)))) {
            Worker first = bed.startWorker(bed.workerConfig().maxConcurrency(16).build());
            int jobs = 120;
            for (int i = 0; i < jobs; i++) {
                bed.produce("stop-" + i, Jobs.valid("stop-" + i, null));
            }
            bed.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.simulator.ledger().snapshot().generationsCreated() >= 16);

            first.close();

            LedgerSnapshot atStop = bed.simulator.ledger().snapshot();
            assertThat(atStop.generationsCreated()).as("the stop came mid-batch").isBetween(16L, (long) jobs - 1);
            try (TopicReader results = bed.results()) {
                assertThat(results.results().size()).as("generations running at the stop were handed over, not waited for")
                        .isLessThan((int) atStop.generationsCreated());
                bed.startWorker(bed.workerConfig().maxConcurrency(16).build());
                await().atMost(Duration.ofSeconds(90)).until(() -> results.results().size() >= jobs);
                // No job gets a second result, from either worker.
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> results.results().size() == jobs);
                Map<String, JobResult> published = TopicReader.byJobId(results.results());
                assertThat(published).hasSize(jobs);
                assertThat(published.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(jobs);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
        }
    }
}
