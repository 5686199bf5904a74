package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.guarantee.ResumesWithin;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jobs parked on a spent {@code wait} budget leave memory (DESIGN.md "The job journal"): their PARKED
 * entries carry them, their records are committed, and their partition's owner, this worker or the
 * next, resumes them from the journal when budget comes back. Each job is answered once and paid once.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ParkedJobsTest extends WorkerTestSupport {

    private static final Tokens JOB_COST = Tokens.of(21); // kling-3.0-motion, 3 s at 7 tokens/s
    private static final BudgetRule PLENTY = new BudgetRule(Tokens.of(1_000_000), Duration.ofDays(1), ExhaustionPolicy.WAIT);

    private static BudgetPolicy studio(int jobsPerWindow, Duration window) {
        return new BudgetPolicy(Map.of("studio-a", new BudgetRule(JOB_COST.times(jobsPerWindow), window, ExhaustionPolicy.WAIT)), PLENTY);
    }

    private static WorkerConfig.Results delivery(WorkerConfig.Delivery delivery) {
        WorkerConfig.Results d = WorkerConfig.Results.DEFAULT;
        return new WorkerConfig.Results(delivery, d.commitInterval(), d.commitMaxOutcomes(), d.transactionTimeout());
    }

    private static double parked(Worker worker, String held) {
        // One gauge per budget key: the sum is every parked job held that way.
        return worker.registry().get("troupe.jobs.parked").tag("held", held).gauges().stream()
                .mapToDouble(io.micrometer.core.instrument.Gauge::value).sum();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkerConfig.Delivery.class)
    void parkedJobsLeaveMemoryWithTheirRecordsCommittedAndResumeWhenTheWindowRolls(WorkerConfig.Delivery mode) throws Exception {
        try (FleetScenario s = new FleetScenario(bed(sim -> {}), null)) {
            Worker worker = s.bed.startWorker(s.workerConfig().results(delivery(mode)).budget(studio(2, Duration.ofSeconds(2))).build());
            List<String> jobIds = s.sendFor("studio-a", "park", 9);

            // Seven parked, held by the journal alone, while every record (theirs too) is committed.
            await("parked jobs shelved with their records committed").atMost(Duration.ofSeconds(30))
                    .until(() -> parked(worker, "journal") > 0 && parked(worker, "memory") == 0 && s.bed.committedAtLogEnd());

            s.finish();
            s.assertGuarantees();
            assertThat(worker.budget().overspend()).isEqualTo(Tokens.ZERO);
            assertThat(worker.parkedJobs()).isZero();
            try (TopicReader results = s.bed.results()) {
                List<Instant> submitted = results.results().stream().filter(r -> jobIds.contains(r.jobId()))
                        .map(r -> r.timings().submittedAt()).sorted().toList();
                // Two jobs per 2 s window: nine need five windows.
                assertThat(Duration.between(submitted.get(0), submitted.get(submitted.size() - 1))).isGreaterThan(Duration.ofSeconds(6));
                assertThat(results.results()).allSatisfy(r -> assertThat(r.timings().enqueuedAt()).isNotNull());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkerConfig.Delivery.class)
    void aParkedBacklogMovesWithItsPartitionsAndRunsOnceOnTheNextOwner(WorkerConfig.Delivery mode) throws Exception {
        try (FleetScenario s = new FleetScenario(bed(sim -> {}), null)) {
            Worker a = s.bed.startWorker(s.workerConfig().results(delivery(mode)).budget(studio(2, Duration.ofDays(1))).build());
            s.sendFor("studio-a", "backlog", 10);
            await("eight jobs shelved on A").atMost(Duration.ofSeconds(30))
                    .until(() -> parked(a, "journal") == 8 && s.bed.committedAtLogEnd());

            ResumesWithin.HandOver closes = s.handOver("A closes with eight jobs parked in the journal");
            s.closeInBackground(a);
            // The next owner runs with the budget raised: the fleet log holds what A spent, and B grants the rest.
            Worker b = s.bed.startWorker(s.workerConfig().results(delivery(mode)).budget(studio(100, Duration.ofDays(1))).build());
            s.probeEveryPartition(closes, 1);

            s.finish();
            s.assertGuarantees();
            assertThat(FleetScenario.finished(b)).as("jobs B finished: the eight parked ones and the probes")
                    .isGreaterThanOrEqualTo(8 + WorkerTestBed.PARTITIONS);
        }
    }

    /**
     * A job resumed from the journal has no record left to be read again: its SUBMITTING and ACCEPTED
     * entries carry it, so a worker that takes it over while Givon runs it follows it, never POSTs again.
     */
    @Test
    void aResumedJobAtGivonIsFollowedByTheNextOwnerWithoutASecondGeneration() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (FleetScenario s = new FleetScenario(bed(sim -> sim.fixedGenerationTime(Duration.ofSeconds(60))
                .honourIdempotencyKey(false), clock), clock)) {
            Worker a = s.bed.startWorker(s.workerConfig().budget(studio(2, Duration.ofDays(1))).build());
            s.sendFor("studio-a", "resumed", 10);
            s.awaitAtGivon(2);
            await("eight jobs shelved on A").atMost(Duration.ofSeconds(30)).until(() -> parked(a, "journal") == 8);

            ResumesWithin.HandOver toB = s.handOver("A closes; B resumes its parked jobs");
            s.closeInBackground(a);
            Worker b = s.bed.startWorker(s.workerConfig().budget(studio(100, Duration.ofDays(1))).build());
            s.probeEveryPartition(toB, 1);
            s.awaitAtGivon(10 + WorkerTestBed.PARTITIONS);
            s.observe("B resumed the parked jobs and Givon runs them");

            ResumesWithin.HandOver toC = s.handOver("C joins and B closes while Givon runs the resumed jobs");
            s.bed.startWorker(s.workerConfig().budget(studio(100, Duration.ofDays(1))).build());
            s.closeInBackground(b);
            s.probeEveryPartition(toC, 1);
            s.observe("after C took over");

            s.finish();
            s.assertGuarantees();
        }
    }
}
