package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.testkit.ForkedKafkaBroker;
import dev.troupe.testkit.guarantee.CommittedToLogEnd;
import dev.troupe.testkit.guarantee.ResumesWithin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partitions that change owner while their jobs are at Givon (DESIGN.md "The job journal"): the next
 * owner follows the generations Givon already holds instead of submitting them again, and every moved
 * partition consumes again within {@link FleetScenario#RESUME_LIMIT} of the hand-over. Givon ignores the
 * {@code Idempotency-Key} here, so a resubmission is a second, paid generation.
 *
 * <p>Generations are held at Givon by the simulator's manual clock until the scenario finishes, so
 * they are in flight at every hand-over however busy the machine is.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HandOverTest extends WorkerTestSupport {

    private static final int JOBS = 100;

    /** A minute per generation, which only the manual clock makes pass: nothing ends during a hand-over. */
    private static Consumer<SimulatorConfig.Builder> heldAtGivon() {
        return sim -> sim.fixedGenerationTime(Duration.ofSeconds(60)).honourIdempotencyKey(false);
    }

    private FleetScenario scenario(Consumer<SimulatorConfig.Builder> simulator, ManualSimClock clock) throws Exception {
        return new FleetScenario(bed(simulator, clock), clock);
    }

    @Test
    void aJoiningWorkerFollowsTheGenerationsOfThePartitionsItTakesWithoutResubmitting() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (FleetScenario s = scenario(heldAtGivon(), clock)) {
            s.startWorker();
            s.send("join", JOBS);
            s.awaitAtGivon(JOBS);

            ResumesWithin.HandOver joins = s.handOver("worker B joins while A has " + JOBS + " generations at Givon");
            Worker b = s.startWorker();
            s.probeEveryPartition(joins, 2);
            s.observe("after B joined");

            s.finish();
            s.assertGuarantees();
            assertThat(FleetScenario.finished(b)).as("jobs B finished: it followed those of the partitions it took, not only probes")
                    .isGreaterThan(WorkerTestBed.PARTITIONS);
        }
    }

    @Test
    void newOwnerFollowsGenerationsAtGivonWithoutResubmitting() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (FleetScenario s = scenario(heldAtGivon(), clock)) {
            Worker a = s.startWorker();
            Worker b = s.startWorker();
            await("both workers own partitions").atMost(Duration.ofSeconds(60)).until(() -> s.groupSettled(2));
            s.send("close", JOBS);
            s.awaitAtGivon(JOBS);

            ResumesWithin.HandOver closes = s.handOver("worker A closes gracefully with its generations at Givon");
            s.closeInBackground(a);
            s.probeEveryPartition(closes, 1);
            s.observe("after A closed");

            s.finish();
            s.assertGuarantees();
            // A closed before any generation ended, so B followed and published every one of them.
            assertThat(FleetScenario.finished(b)).as("jobs B finished").isGreaterThanOrEqualTo(JOBS);
        }
    }

    @Test
    void aPartitionBackWithItsFirstOwnerIsNeitherPaidNorAnsweredTwice() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (FleetScenario s = scenario(heldAtGivon(), clock)) {
            s.startWorker();
            s.send("back", JOBS);
            s.awaitAtGivon(JOBS);

            ResumesWithin.HandOver toB = s.handOver("B joins and takes partitions from A");
            Worker b = s.startWorker();
            s.probeEveryPartition(toB, 2);
            s.observe("after B took partitions");
            ResumesWithin.HandOver backToA = s.handOver("B closes and A gets its partitions back");
            s.closeInBackground(b);
            s.probeEveryPartition(backToA, 1);
            s.observe("after A got them back");

            s.finish();
            s.assertGuarantees();
        }
    }

    /**
     * A rolling restart: each step a new worker joins and the previous one closes. Generations last 30
     * to 90 s and the clock moves 35 s after each step, so every hand-over moves some jobs Givon has
     * finished and more that it still runs.
     */
    @ParameterizedTest(name = "{0} hand-overs in a row")
    @ValueSource(ints = {2, 3})
    void handOversInARowWhileGenerationsAreInFlightPayAndAnswerEachJobOnce(int handOvers) throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (FleetScenario s = scenario(sim -> sim.generationTime(Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(90)).honourIdempotencyKey(false), clock)) {
            Worker current = s.startWorker();
            s.send("roll", JOBS);
            s.awaitAtGivon(JOBS);

            for (int step = 1; step <= handOvers; step++) {
                ResumesWithin.HandOver joins = s.handOver("hand-over " + step + ": worker " + step + " joins");
                Worker next = s.startWorker();
                s.probeEveryPartition(joins, 2);
                ResumesWithin.HandOver leaves = s.handOver("hand-over " + step + ": worker " + (step - 1) + " closes");
                s.closeInBackground(current);
                s.probeEveryPartition(leaves, 1);
                s.observe("after hand-over " + step);
                clock.advance(Duration.ofSeconds(35));
                current = next;
            }

            s.finish();
            s.assertGuarantees();
        }
    }

    /**
     * The same rolling restart between workers that run their jobs on several event loops (3, then 2,
     * then 1): each partition's jobs are handed back by the lane that ran them, and followed, not paid
     * again, by whichever lane of the next owner takes the partition.
     */
    @Test
    void handOversBetweenWorkersOfSeveralEventLoopsPayAndAnswerEachJobOnce() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (FleetScenario s = scenario(sim -> sim.generationTime(Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(90)).honourIdempotencyKey(false), clock)) {
            Worker current = s.startWorker(3);
            s.send("lanes", JOBS);
            s.awaitAtGivon(JOBS);

            int[] next = {2, 1};
            for (int step = 1; step <= next.length; step++) {
                ResumesWithin.HandOver joins = s.handOver("hand-over " + step + ": a worker of " + next[step - 1] + " event loops joins");
                Worker joined = s.startWorker(next[step - 1]);
                s.probeEveryPartition(joins, 2);
                ResumesWithin.HandOver leaves = s.handOver("hand-over " + step + ": the previous worker closes");
                s.closeInBackground(current);
                s.probeEveryPartition(leaves, 1);
                s.observe("after hand-over " + step);
                clock.advance(Duration.ofSeconds(35));
                current = joined;
            }

            s.finish();
            s.assertGuarantees();
        }
    }

    @Test
    void aNewConsumerGroupOverFinishedJobsPaysForNoneAndPublishesNoSecondResult() throws Exception {
        try (FleetScenario s = scenario(sim -> sim.honourIdempotencyKey(false), null)) {
            Worker first = s.startWorker();
            s.send("done", 50);
            s.finish();
            s.bed.stopWorker(first);
            LedgerSnapshot paid = s.noDoublePay.observe("the first group finished");
            s.noDoublePay.expectAlreadyPaid(paid, "the first group finished");
            assertThat(paid.generationsCreated()).as("the first group ran every job").isEqualTo(50);

            String otherGroup = s.bed.groupId + "-new";
            try (CommittedToLogEnd newGroup = CommittedToLogEnd.of(s.bed.bootstrapServers, otherGroup, s.bed.jobsTopic)) {
                s.bed.startWorker(s.workerConfig().groupId(otherGroup).build());
                // Read every job (so had every chance to pay for it again) once it is committed to the log end.
                FleetScenario.within(Duration.ofSeconds(60), newGroup::holds);
                s.assertGuarantees(newGroup);
            }
        }
    }

    /**
     * The broker is SIGKILLed while the worker has jobs fetched, at Givon and finished but unpublished,
     * then comes back on the same port with the same data. A broker of its own: the shared one stays up.
     */
    @Test
    void aBrokerKilledAndRestartedMidBatchLosesNoJobAndRunsNoneTwice(@TempDir Path dir) throws Exception {
        int jobs = 300;
        try (ForkedKafkaBroker broker = ForkedKafkaBroker.start(dir.resolve("kafka"));
             // 400 ms generations (400 s compressed 1,000 times), 16 at a time: about 8 s of work.
             FleetScenario s = new FleetScenario(bed(broker.cluster(),
                     sim -> sim.fixedGenerationTime(Duration.ofSeconds(400)).honourIdempotencyKey(false)), null)) {
            // Few records fetched ahead, so that the kill also cuts the worker off from jobs it has not read yet.
            s.bed.startWorker(s.workerConfig().maxConcurrency(16).maxUnfinishedRecords(32).build());
            s.send("crash", jobs);
            await("a fifth of the batch answered").atMost(Duration.ofSeconds(60)).until(() -> s.results.answered() >= jobs / 5);

            int answered = s.results.answered();
            assertThat(answered).as("the kill comes mid-batch").isLessThan(jobs);
            broker.kill();
            s.noDoublePay.observe("broker killed with " + answered + " of " + jobs + " jobs answered");
            broker.restart();
            s.observe("broker back");

            s.finish();
            s.assertGuarantees();
        }
    }
}
