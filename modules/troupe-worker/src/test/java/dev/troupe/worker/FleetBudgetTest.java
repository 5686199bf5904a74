package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One tenant budget for the whole fleet (DESIGN.md "Fleet quotas"): three workers over six partitions
 * spend at most the limit together, and at least the limit less one job's cost, decided through
 * {@code troupe.budget}; another tenant's jobs flow meanwhile.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FleetBudgetTest extends WorkerTestSupport {

    private static final Tokens JOB_COST = Tokens.of(21); // kling-3.0-motion, 3 s at 7 tokens/s
    private static final int BATCH = 30;
    private static final BudgetRule PLENTY = new BudgetRule(Tokens.of(1_000_000), Duration.ofDays(1), ExhaustionPolicy.WAIT);

    /** Three workers, each owning partitions before any job is sent (so that all three spend). */
    private static List<Worker> fleet(FleetScenario s, Tokens limit, ExhaustionPolicy policy) {
        // A window far longer than the test, so that none rolls while it runs.
        BudgetPolicy budget = new BudgetPolicy(Map.of("studio-a", new BudgetRule(limit, Duration.ofDays(10_000), policy)), PLENTY);
        List<Worker> workers = List.of(1, 2, 3).stream()
                .map(i -> s.bed.startWorker(s.bed.workerConfig().maxConcurrency(8).budget(budget).build())).toList();
        await("three workers own the partitions").atMost(Duration.ofSeconds(60)).until(() -> s.groupSettled(3));
        return workers;
    }

    private static Tokens charged(WorkerTestBed bed) {
        return bed.simulator.ledger().snapshot().tokensCharged();
    }

    @Test
    void threeWorkersRejectingBeyondFortyPercentOfABatchSpendTheLimitTogether() throws Exception {
        try (FleetScenario s = new FleetScenario(bed(sim -> {}), null)) {
            WorkerTestBed bed = s.bed;
            Tokens limit = Tokens.ofMilli(JOB_COST.times(BATCH).milli() * 4 / 10); // twelve jobs' worth
            fleet(s, limit, ExhaustionPolicy.REJECT);
            for (int i = 0; i < BATCH; i++) {
                bed.produce("r-" + i, Jobs.valid("r-" + i, "studio-a"));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> TopicReader.byJobId(results.results()).size() >= BATCH);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob.values().stream().filter(r -> r.status() == JobStatus.SUCCEEDED)).hasSize(12);
                assertThat(byJob.values().stream().filter(r -> r.status() == JobStatus.REJECTED)).hasSize(BATCH - 12)
                        .allSatisfy(r -> assertThat(r.error().code()).isEqualTo("BUDGET_EXHAUSTED"));
            }
            assertThat(charged(bed)).isLessThanOrEqualTo(limit).isGreaterThan(limit.minus(JOB_COST));
        }
    }

    @Test
    void threeWorkersWaitingBeyondTwentyPercentParkTheRestWhileAnotherTenantFlows() throws Exception {
        try (FleetScenario s = new FleetScenario(bed(sim -> {}), null)) {
            WorkerTestBed bed = s.bed;
            Tokens limit = Tokens.ofMilli(JOB_COST.times(BATCH).milli() * 2 / 10); // six jobs' worth
            List<Worker> workers = fleet(s, limit, ExhaustionPolicy.WAIT);
            for (int i = 0; i < BATCH; i++) {
                bed.produce("w-" + i, Jobs.valid("w-" + i, "studio-a"));
            }
            for (int i = 0; i < 20; i++) {
                bed.produce("other-" + i, Jobs.valid("other-" + i, "studio-b"));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> workers.stream().mapToInt(Worker::parkedJobs).sum() == BATCH - 6
                        && TopicReader.byJobId(results.results()).size() == 6 + 20);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
                assertThat(byJob.keySet().stream().filter(id -> id.startsWith("w-"))).hasSize(6);
            }
            assertThat(workers).as("every worker took part").allSatisfy(w -> assertThat(FleetScenario.finished(w)).isPositive());
            assertThat(charged(bed)).isEqualTo(limit.plus(JOB_COST.times(20)));
            for (Worker worker : workers) {
                await("every worker sees the fleet's spend").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(worker.budget().spent("studio-a")).isEqualTo(limit);
                    assertThat(worker.budget().remaining("studio-a")).isEqualTo(Tokens.ZERO);
                });
            }
        }
    }
}
