package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.model.ControlCommand;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operators' commands on {@code troupe.control}, on the real broker and the simulator: a cancel
 * ends what Givon has not accepted CANCELLED (nothing paid) and lets what it runs finish; a pause
 * holds one tenant's jobs while the others flow, and a resume lets them go.
 */
class ControlsTest extends WorkerTestSupport {

    @Test
    void aCancelledBatchEndsItsQueuedJobsCancelledWhileItsGenerationsAtGivonFinish() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (WorkerTestBed bed = bed(sim -> sim.fixedGenerationTime(Duration.ofSeconds(60)), clock)) {
            bed.startWorker(bed.workerConfig().maxConcurrency(2).build());
            for (int i = 0; i < 8; i++) {
                bed.produce("encore-" + i, Jobs.valid("encore-" + i, "studio-a"));
            }
            bed.flush();
            await("two generations at Givon").atMost(Duration.ofSeconds(30))
                    .until(() -> bed.simulator.ledger().snapshot().activeGenerations() == 2);

            bed.control(ControlCommand.cancelBatch("batch-1", Instant.now(), "the wrong motion clip"));
            try (TopicReader results = bed.results()) {
                await("six jobs cancelled").atMost(Duration.ofSeconds(30))
                        .until(() -> results.results().stream().filter(r -> r.status() == JobStatus.CANCELLED).count() == 6);
                clock.advance(Duration.ofSeconds(61));
                await("every job has a result").atMost(Duration.ofSeconds(30)).until(() -> results.results().size() == 8);
                Map<JobStatus, Long> byStatus = results.results().stream().collect(Collectors.groupingBy(JobResult::status, Collectors.counting()));
                assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(JobStatus.CANCELLED, 6L, JobStatus.SUCCEEDED, 2L));
                assertThat(results.results()).filteredOn(r -> r.status() == JobStatus.CANCELLED).allSatisfy(r -> {
                    assertThat(r.costTokens()).isEqualTo(Tokens.ZERO);
                    assertThat(r.generationId()).isNull();
                    assertThat(r.error().code()).isEqualTo("CANCELLED");
                    assertThat(r.error().message()).contains("batch:batch-1").contains("the wrong motion clip");
                    assertThat(r.cancelRequested()).isNull();
                });
                assertCancelSaid(results.results(), "the wrong motion clip");
            }
            assertThat(bed.simulator.ledger().snapshot().generationsCreated()).as("only the two Givon had accepted").isEqualTo(2);
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);

            // Sent again after the cancel (a retry): runs.
            bed.produce("encore-0", Jobs.run("encore-0", "studio-a", 2));
            bed.flush();
            await("the retry at Givon").atMost(Duration.ofSeconds(30))
                    .until(() -> bed.simulator.ledger().snapshot().generationsCreated() == 3);
        }
    }

    @ParameterizedTest(name = "journal enabled: {0}")
    @ValueSource(booleans = {true, false})
    void aCancelEndsJobsParkedOnASpentBudgetAtOnceNotWhenTheWindowRolls(boolean journaled) throws Exception {
        ManualSimClock clock = SimClock.manual();
        BudgetRule twoJobsADay = new BudgetRule(Tokens.of(42), Duration.ofDays(1), ExhaustionPolicy.WAIT);
        try (WorkerTestBed bed = bed(sim -> sim.fixedGenerationTime(Duration.ofSeconds(60)), clock)) {
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(8)
                    .budget(new BudgetPolicy(Map.of("studio-a", twoJobsADay), BudgetPolicy.unlimited().defaultRule()))
                    .journal(new WorkerConfig.Journal(journaled, Duration.ofDays(7))).build());
            for (int i = 0; i < 6; i++) {
                bed.produce("parked-" + i, Jobs.valid("parked-" + i, "studio-a"));
            }
            bed.flush();
            // Journaled, parked jobs are shelved: only troupe.state holds them.
            await("two at Givon, four parked").atMost(Duration.ofSeconds(30)).until(() -> bed.simulator.ledger().snapshot()
                    .activeGenerations() == 2 && worker.parkedJobs() == 4 && worker.parkedInMemory() == (journaled ? 0 : 4));

            bed.control(ControlCommand.cancelBatch("batch-1", Instant.now(), "over budget anyway"));
            try (TopicReader results = bed.results()) {
                // The window rolls in a day of the worker's clock, which stands still: only the cancel ends them.
                await("the four parked jobs cancelled").atMost(Duration.ofSeconds(30))
                        .until(() -> results.results().stream().filter(r -> r.status() == JobStatus.CANCELLED).count() == 4);
                assertThat(worker.parkedJobs()).isZero();
                clock.advance(Duration.ofSeconds(61));
                await("every job has a result").atMost(Duration.ofSeconds(30)).until(() -> results.results().size() == 6);
                assertThat(results.results()).filteredOn(r -> r.status() == JobStatus.CANCELLED)
                        .allSatisfy(r -> assertThat(r.costTokens()).isEqualTo(Tokens.ZERO)).hasSize(4);
                assertCancelSaid(results.results(), "over budget anyway");
            }
            assertThat(bed.simulator.ledger().snapshot().generationsCreated()).isEqualTo(2);
            assertThat(worker.budget().overspend()).isEqualTo(Tokens.ZERO);
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }

    /** The generations Givon ran when the cancel came finished, and their results say that a cancel came. */
    private static void assertCancelSaid(List<JobResult> results, String reason) {
        assertThat(results).filteredOn(r -> r.status() == JobStatus.SUCCEEDED).hasSize(2).allSatisfy(r -> {
            assertThat(r.generationId()).isNotNull();
            assertThat(r.cancelRequested()).isNotNull();
            assertThat(r.cancelRequested().target()).isEqualTo("batch:batch-1");
            assertThat(r.cancelRequested().reason()).isEqualTo(reason);
        });
    }

    @Test
    void aPausedTenantsJobsWaitWhileOthersFlowAndGoOnResume() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.control(ControlCommand.pause("studio-a", Instant.now(), "invoice overdue"));
            bed.startWorker(bed.workerConfig().maxConcurrency(8).build());
            for (int i = 0; i < 6; i++) {
                bed.produce("a-" + i, Jobs.valid("a-" + i, "studio-a"));
                bed.produce("b-" + i, Jobs.valid("b-" + i, "studio-b"));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await("studio-b's six jobs").atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 6);
                // studio-b is done; studio-a's jobs would have finished by now too were they not held.
                Thread.sleep(500);
                List<JobResult> done = results.results();
                assertThat(done).extracting(JobResult::tenant).containsOnly("studio-b").hasSize(6);
                assertThat(bed.simulator.ledger().snapshot().generationsCreated()).isEqualTo(6);

                bed.control(ControlCommand.resume("studio-a", Instant.now(), null));
                await("studio-a's jobs after the resume").atMost(Duration.ofSeconds(30)).until(() -> results.results().size() == 12);
                assertThat(results.results()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }
}
