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
 * A worker that runs its jobs on several event loops (worker.event-loops), on the real broker and the
 * simulator: each partition's jobs run on one of them, and all of them share one concurrency limit.
 */
class EventLoopsTest extends WorkerTestSupport {

    @Test
    void threeEventLoopsAnswerEveryJobOnceWithinOneSharedLimit() throws Exception {
        try (WorkerTestBed bed = bed(sim -> sim.fixedGenerationTime(Duration.ofMillis(20)))) {
            bed.startWorker(bed.workerConfig().maxConcurrency(8).eventLoops(3).build());
            int jobs = 1_500;
            for (int i = 0; i < jobs; i++) {
                bed.produce("lane-job-" + i, Jobs.valid("lane-job-" + i, "studio-a"));
            }
            bed.flush();

            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> results.results().size() >= jobs);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob).hasSize(jobs);
                assertThat(results.results()).hasSize(jobs);
                assertThat(byJob.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(jobs);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
            assertThat(ledger.peakConcurrentGenerations()).isLessThanOrEqualTo(8);
        }
    }

    /**
     * One slot, two event loops, jobs on every partition: the slot passes from one event loop to the
     * other when it is given back, so the loop that holds none is not left waiting with its jobs.
     */
    @Test
    void anEventLoopWaitingForASlotAnotherHoldsGetsItWhenItIsGivenBack() throws Exception {
        try (WorkerTestBed bed = bed(sim -> sim.fixedGenerationTime(Duration.ofMillis(5)))) {
            bed.startWorker(bed.workerConfig().maxConcurrency(1).eventLoops(2).build());
            int jobs = 120;
            for (int i = 0; i < jobs; i++) {
                bed.produce("one-slot-" + i, Jobs.valid("one-slot-" + i, null));
            }
            bed.flush();

            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> results.results().size() >= jobs);
                assertThat(TopicReader.byJobId(results.results())).hasSize(jobs);
            }
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(jobs);
            assertThat(ledger.peakConcurrentGenerations()).isEqualTo(1);
        }
    }
}
