package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.ScriptedAnswer;
import dev.troupe.givon.sim.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Givon's limits belong to the account (DESIGN.md "Fleet quotas"): {@code givon.max-in-flight} is
 * divided among the workers by the partitions each owns, so three workers keep at most that many
 * generations at Givon together, and all of them; the request rates are divided the same way.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AccountLimitsTest extends WorkerTestSupport {

    private static final int MAX_IN_FLIGHT = 10;

    private static int shares(List<Worker> workers) {
        return workers.stream().mapToInt(w -> w.limiter().share()).sum();
    }

    @Test
    void threeWorkersKeepTheAccountsGenerationsAtGivonToTheLastSlotAndNoMore() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (FleetScenario s = new FleetScenario(bed(sim -> {}, clock), clock)) {
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // 3 x 8 = 24 would be too many for the account
                workers.add(s.bed.startWorker(s.workerConfig().maxConcurrency(8)
                        .account(new WorkerConfig.Account(MAX_IN_FLIGHT, 0, 0)).build()));
            }
            await("three workers own the partitions").atMost(Duration.ofSeconds(60)).until(() -> s.groupSettled(3));
            // 4 + 3 + 3 once the cooperative rebalance has moved every partition (before, one may hold all ten)
            await("the shares add up to the account").atMost(Duration.ofSeconds(30)).until(() -> shares(workers) == MAX_IN_FLIGHT
                    && workers.stream().allMatch(w -> w.limiter().share() == 3 || w.limiter().share() == 4));

            s.send("a", 40);
            // Generations stay at Givon until the clock moves: every worker fills its share, none passes it.
            s.awaitAtGivon(MAX_IN_FLIGHT);
            assertThat(workers).allSatisfy(w -> assertThat(w.limiter().inFlight()).isEqualTo(w.limiter().share()));
            s.finish();
            assertThat(s.bed.simulator.ledger().snapshot().peakConcurrentGenerations()).isEqualTo(MAX_IN_FLIGHT);

            Worker leaving = workers.remove(0);
            leaving.close();
            await("two workers own the partitions").atMost(Duration.ofSeconds(60)).until(() -> s.groupSettled(2));
            await("the two left divide the whole account").atMost(Duration.ofSeconds(30))
                    .until(() -> shares(workers) == MAX_IN_FLIGHT && workers.stream().allMatch(w -> w.limiter().share() == 5));
            s.send("b", 30);
            s.awaitAtGivon(40 + MAX_IN_FLIGHT);
            assertThat(workers).allSatisfy(w -> assertThat(w.limiter().inFlight()).isEqualTo(5));
            s.finish();
            assertThat(s.bed.simulator.ledger().snapshot().peakConcurrentGenerations()).isEqualTo(MAX_IN_FLIGHT);
            s.assertGuarantees();
        }
    }

    @Test
    void twoWorkersSubmitAtMostTheAccountsRateTogether() throws Exception {
        int perSecond = 6;
        int jobs = 30;
        try (FleetScenario s = new FleetScenario(bed(sim -> {}), null)) {
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(s.bed.startWorker(s.workerConfig().account(new WorkerConfig.Account(0, perSecond, 0)).build()));
            }
            await("two workers own the partitions").atMost(Duration.ofSeconds(60)).until(() -> s.groupSettled(2));
            await("each has half the rate").atMost(Duration.ofSeconds(30))
                    .until(() -> workers.stream().allMatch(w -> w.givonRates().submissions() == perSecond / 2.0));
            long started = System.nanoTime();
            s.send("r", jobs);
            s.awaitAtGivon(jobs);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            // One second's burst of 6, then 6 a second: 24 more need 4 s at least (each worker alone at 6/s: 1.5 s).
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(3_800));
            s.finish();
            s.assertGuarantees();
        }
    }

    @Test
    void anOutOfCreditAnswerToOneWorkerHoldsTheWholeFleet() throws Exception {
        AtomicInteger submissions = new AtomicInteger();
        try (FleetScenario s = new FleetScenario(bed(sim -> {}), null)) {
            s.bed.simulator.script(request -> request.isSubmission() && submissions.getAndIncrement() == 0
                    ? Optional.of(ScriptedAnswer.json(402, "{\"error\":{\"message\":\"insufficient balance\"}}"))
                    : Optional.empty());
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(s.bed.startWorker(s.workerConfig().outOfTokensPause(Duration.ofSeconds(30)).build()));
            }
            await("two workers own the partitions").atMost(Duration.ofSeconds(60)).until(() -> s.groupSettled(2));

            s.send("first", 1);
            await("both workers hold, the one Givon answered and the one that read it on troupe.budget")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> workers.stream().allMatch(w -> w.outOfTokensUntil().isAfter(Instant.now())));
            Instant held = workers.stream().map(Worker::outOfTokensUntil).min(Comparator.naturalOrder()).orElseThrow();
            s.send("later", 20); // on every partition: without the fleet's hold, the other worker submits at once
            await("nothing goes to Givon while the fleet holds").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> submissions.get() == 1);
            assertThat(Instant.now()).as("still within the hold").isBefore(held);

            s.finish(); // the hold ends and Givon takes them all
            s.assertGuarantees();
        }
    }
}
