package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token budgets on the real broker and simulator: never over, WAIT keeps jobs in Kafka, REJECT says why. */
class WorkerBudgetTest extends WorkerTestSupport {

    private static final int AFFORDABLE = 10;
    private static final Tokens JOB_COST = Tokens.of(21); // kling-3.0-motion, 3 s at 7 tokens/s
    private static final BudgetRule PLENTY = new BudgetRule(Tokens.of(1_000_000), Duration.ofDays(1), ExhaustionPolicy.WAIT);

    private static BudgetPolicy studioBudget(ExhaustionPolicy policy, Duration window) {
        return new BudgetPolicy(Map.of("studio-a", new BudgetRule(JOB_COST.times(AFFORDABLE), window, policy)), PLENTY);
    }

    @Test
    void aSpentTenantWaitsInKafkaWhileAnotherTenantKeepsFlowing() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            // The journal off: parked jobs wait in memory, their records uncommitted (ParkedJobsTest has them journaled).
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(8).journal(new WorkerConfig.Journal(false, Duration.ofDays(7)))
                    .budget(studioBudget(ExhaustionPolicy.WAIT, Duration.ofDays(1))).build());
            for (int i = 0; i < AFFORDABLE + 5; i++) {
                bed.produce("a-" + i, Jobs.valid("a-" + i, "studio-a"));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= AFFORDABLE);
                // Another tenant's jobs, sent after studio-a ran dry, still complete...
                for (int i = 0; i < 20; i++) {
                    bed.produce("b-" + i, Jobs.valid("b-" + i, "studio-b"));
                }
                bed.flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().stream()
                        .filter(r -> r.tenant().equals("studio-b")).count() == 20);
                // ...while the five studio-a jobs beyond the budget produce nothing and stay uncommitted.
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob).hasSize(AFFORDABLE + 20);
                assertThat(byJob.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
                assertThat(byJob.keySet().stream().filter(id -> id.startsWith("a-"))).hasSize(AFFORDABLE);
            }
            assertThat(worker.parkedJobs()).isEqualTo(5);
            assertThat(worker.registry().get("troupe.jobs.parked").tag("held", "memory").tag("tenant", "studio-a").gauge().value())
                    .isEqualTo(5);
            // Nothing was committed past a waiting job: a restart would find all five still in Kafka.
            try (TopicReader results = bed.results()) {
                var finished = TopicReader.byJobId(results.results()).keySet();
                var waiting = bed.placed.keySet().stream().filter(id -> !finished.contains(id)).toList();
                assertThat(waiting).hasSize(5).allMatch(id -> id.startsWith("a-"));
                var committed = bed.committedVersusEnd();
                for (String id : waiting) {
                    WorkerTestBed.TopicPartitionOffset at = bed.placed.get(id);
                    assertThat(committed.get(at.partition())[0]).as("committed offset of %s, holding %s", at.partition(), id)
                            .isLessThanOrEqualTo(at.offset());
                }
            }
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(AFFORDABLE + 20);
            assertThat(ledger.tokensCharged()).isEqualTo(JOB_COST.times(AFFORDABLE + 20));
        }
    }

    @Test
    void rejectPolicyAnswersEveryJobBeyondTheBudgetWithBudgetExhausted() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4)
                    .budget(studioBudget(ExhaustionPolicy.REJECT, Duration.ofDays(1))).build());
            int jobs = AFFORDABLE + 7;
            for (int i = 0; i < jobs; i++) {
                bed.produce("r-" + i, Jobs.valid("r-" + i, "studio-a"));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= jobs);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob.values().stream().filter(r -> r.status() == JobStatus.SUCCEEDED)).hasSize(AFFORDABLE);
                assertThat(byJob.values().stream().filter(r -> r.status() == JobStatus.REJECTED))
                        .hasSize(7)
                        .allSatisfy(r -> {
                            assertThat(r.error().code()).isEqualTo("BUDGET_EXHAUSTED");
                            assertThat(r.error().message()).contains("studio-a");
                            assertThat(r.attempts()).isZero();
                        });
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
            assertThat(bed.simulator.ledger().snapshot().tokensCharged()).isEqualTo(JOB_COST.times(AFFORDABLE));
        }
    }

    @Test
    void parkedJobsResumeWhenTheWindowRolls() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            // A 2-jobs-per-second budget: twelve jobs need several windows, and never overspend one.
            BudgetPolicy policy = new BudgetPolicy(
                    Map.of("studio-a", new BudgetRule(JOB_COST.times(2), Duration.ofSeconds(1), ExhaustionPolicy.WAIT)), PLENTY);
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(8).budget(policy).build());
            for (int i = 0; i < 12; i++) {
                bed.produce("w-" + i, Jobs.valid("w-" + i, "studio-a"));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    assertThat(worker.budget().overspend()).isEqualTo(Tokens.ZERO);
                    return results.results().size() >= 12;
                });
                assertThat(TopicReader.byJobId(results.results()).values())
                        .allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
                // Two jobs per 1 s window: twelve need six windows, so their submissions span over 4 s.
                List<Instant> submitted = results.results().stream().map(r -> r.timings().submittedAt()).sorted().toList();
                assertThat(Duration.between(submitted.get(0), submitted.get(submitted.size() - 1)))
                        .isGreaterThan(Duration.ofSeconds(4));
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }
}
