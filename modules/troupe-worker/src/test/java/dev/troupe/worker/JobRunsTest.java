package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dedupe is per (jobId, run): a job sent again with the same run is answered once and paid once, a
 * deliberate retry (the next run) is a new generation with a result of its own. Real broker, simulator.
 */
class JobRunsTest extends WorkerTestSupport {

    @Test
    void aResendOfARunIsFreeAndTheNextRunIsGeneratedAndPaidAgain() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(8).build());
            bed.produce("encore", Jobs.valid("encore", "studio-a"));
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !results.results().isEmpty());
                assertThat(results.results()).singleElement().satisfies(first -> {
                    assertThat(first.status()).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(first.run()).isEqualTo(1);
                    assertThat(first.worker()).as("the worker that ran it").matches(bed.groupId + "-[0-9a-f]{8}");
                });

                bed.produce("encore", Jobs.valid("encore", "studio-a"));  // an accidental resend of run 1
                bed.produce("encore", Jobs.run("encore", "studio-a", 2)); // troupe retry
                bed.produce("encore", Jobs.run("encore", "studio-a", 2)); // the retry sent twice
                bed.flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 2 && bed.committedAtLogEnd());
                // Anything still to come would have been published before the offsets reached the log end.
                List<JobResult> seen = results.results();
                assertThat(seen).extracting(JobResult::run).containsExactly(1, 2);
                JobResult retried = seen.stream().max(Comparator.comparingInt(JobResult::run)).orElseThrow();
                assertThat(retried.status()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(retried.jobId()).isEqualTo("encore");
                assertThat(retried.costTokens()).isEqualTo(Tokens.of(21));
                assertThat(retried.generationId()).isNotEqualTo(seen.get(0).generationId());
                assertThat(retried.worker()).as("one worker ran both").isEqualTo(seen.get(0).worker());
            }
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.generationsCreated()).as("run 1 and run 2, each once").isEqualTo(2);
            assertThat(ledger.maxGenerationsForOneKey()).as("each run has its own Idempotency-Key").isEqualTo(1);
        }
    }
}
