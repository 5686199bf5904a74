package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.testkit.guarantee.CommittedToLogEnd;
import dev.troupe.testkit.guarantee.Guarantees;
import dev.troupe.testkit.guarantee.NoDoublePay;
import dev.troupe.testkit.guarantee.OneResultPerJob;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code givon.max-in-flight} across three {@code troupe worker} JVMs (DESIGN.md "Fleet quotas"): the
 * account's 10 concurrent generations are divided among workers of 8 slots each by the partitions
 * each owns, so Givon never runs more than 10 of the fleet's generations at once, and runs 10 while
 * the queue is deep; through a worker SIGKILLed mid-batch and restarted, the survivors count its
 * generations from its journal before their shares grow and the leader lends the restarted worker's
 * slots to those still holding them until they drain, so the fleet passes the account at most by the
 * dead worker's generations that sit beyond a new owner's growth (seen: 10 and 11 of 10).
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FleetAccountLimitsProcessTest {

    private static final int WORKERS = 3;
    private static final int PARTITIONS = 6;
    /** 3 x 8 = 24 slots: the account, not the workers, is what holds the fleet to 10. */
    private static final int CONCURRENCY = 8;
    private static final int MAX_IN_FLIGHT = 10;
    /** Nine rounds of the account's slots: the queue stays deep through the kill and the rebalances after it. */
    private static final int JOBS = 90;
    /** 6 s generations (6,000 s compressed 1,000 times): the whole batch is about a minute of the account's work. */
    private static final Duration GENERATION = Duration.ofSeconds(6_000);
    private static final String UNCERTAIN = "SUBMIT_UNCERTAIN";
    private static final Predicate<JobResult> SUCCEEDED_OR_UNCERTAIN = r -> r.status() == JobStatus.SUCCEEDED
            || (r.status() == JobStatus.FAILED && r.error() != null && UNCERTAIN.equals(r.error().code()));

    @TempDir
    Path dir;

    private Vertx vertx;
    private GivonSimulator simulator;
    /** The most generations running at Givon at a moment {@link #noteOverTheAccount} noted. */
    private long highestNoted = MAX_IN_FLIGHT;

    @BeforeEach
    void startSimulator() throws Exception {
        vertx = Vertx.vertx();
        simulator = GivonSimulator.start(vertx, SimulatorConfig.builder()
                .fixedGenerationTime(GENERATION).timeCompression(1_000)
                // A job submitted twice is paid twice: only the journal keeps a killed worker's next owner from it.
                .honourIdempotencyKey(false)
                .build()).await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopSimulator() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void threeWorkerJvmsKeepTheAccountsGenerationsAtGivonToItsLimitThroughASigkillAndRestart(KafkaCluster kafka) throws Exception {
        long start = System.nanoTime();
        TestTopics topics = TestTopics.create(kafka, dir, PARTITIONS).created().pointedAt(simulator);
        // pointedAt ends the file with the givon section.
        Files.writeString(topics.config(), Files.readString(topics.config()) + "  max-in-flight: " + MAX_IN_FLIGHT + "\n");
        List<String> jobIds = IntStream.range(0, JOBS).mapToObj(i -> "account-" + i).toList();
        NoDoublePay noDoublePay = NoDoublePay.on(simulator.ledger()).expect(jobIds);

        try (OneResultPerJob results = OneResultPerJob.reading(kafka.bootstrapServers(), topics.results()).expect(jobIds)
                     .allowOnly("SUCCEEDED, or FAILED " + UNCERTAIN + " (a submission the kill left uncertain)", SUCCEEDED_OR_UNCERTAIN);
             CommittedToLogEnd committed = CommittedToLogEnd.of(kafka.bootstrapServers(), topics.groupId(), topics.jobs());
             WorkerFleet fleet = new WorkerFleet(kafka, topics, dir, WORKERS, PARTITIONS, CONCURRENCY).verbose()) {
            fleet.startAllAndSettle("FleetAccountLimitsProcessTest");
            // The group settled before its last members' shares may be applied: 4 + 3 + 3 once every partition moved.
            await("the three workers' shares add up to the account's " + MAX_IN_FLIGHT).atMost(Duration.ofSeconds(60))
                    .until(() -> fleet.concurrencyShares().orElse(-1) == MAX_IN_FLIGHT);
            List<Integer> sharesAtStart = shares(fleet);
            kafka.produce(jobIds.stream().map(id -> new ProducerRecord<>(topics.jobs(), id, job(id))).toList());

            // Every worker fills its share at once from a deep queue: the account's every slot is used.
            await("the account's " + MAX_IN_FLIGHT + " slots all running at Givon").atMost(Duration.ofSeconds(60))
                    .until(() -> simulator.ledger().snapshot().peakConcurrentGenerations() >= MAX_IN_FLIGHT);
            // Mid-batch: two rounds of the account's slots made, most of the batch still to do.
            await("generation " + 2 * MAX_IN_FLIGHT + " at Givon, before the kill").atMost(Duration.ofSeconds(120))
                    .until(() -> simulator.ledger().snapshot().generationsCreated() >= 2 * MAX_IN_FLIGHT);
            int slot = fleet.awaitHoldingJobs("a worker holding jobs at Givon, before the kill", 0);
            WorkerFleet.Killed killed = fleet.kill(slot);
            String moment = killed.moment("the kill");
            LedgerSnapshot atKill = noDoublePay.observe(moment);
            committed.observe(moment);
            String kill = String.format(Locale.ROOT, "%s at generation %d, %d running at Givon, peak %d so far, %.1f s", moment,
                    atKill.generationsCreated(), atKill.activeGenerations(), atKill.peakConcurrentGenerations(),
                    (System.nanoTime() - start) / 1e9);
            System.out.println("FleetAccountLimitsProcessTest " + kill);
            fleet.restart(slot);
            // Moments Givon runs more than the account allows, with what each worker held then.
            List<String> overTheAccount = new ArrayList<>();

            // The restarted worker back in the group: the account divided among the three again.
            await("three workers own the partitions again, with shares adding up to " + MAX_IN_FLIGHT).atMost(Duration.ofSeconds(120))
                    .until(() -> {
                        noteOverTheAccount(fleet, overTheAccount, start);
                        return fleet.settled() && fleet.concurrencyShares().orElse(-1) == MAX_IN_FLIGHT;
                    });
            List<Integer> sharesAfterRestart = shares(fleet);
            try {
                // A kill, its session timeout and two rebalances take minutes on a machine busy with other work.
                await("every job answered").atMost(Duration.ofSeconds(360)).until(() -> {
                    noteOverTheAccount(fleet, overTheAccount, start);
                    return results.allAnswered();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.println("FleetAccountLimitsProcessTest workers' output:\n" + fleet.outputs());
                throw e;
            }
            List<Integer> exits = fleet.terminateAll();
            await("every record committed after the drain").atMost(Duration.ofSeconds(30)).until(committed::holds);
            LedgerSnapshot end = simulator.ledger().snapshot();
            long uncertain = results.jobsEndedWith(r -> r.error() != null && UNCERTAIN.equals(r.error().code()));
            String figures = String.format(Locale.ROOT, "FleetAccountLimitsProcessTest: %d jobs, %d workers x concurrency %d,"
                            + " max-in-flight %d; shares %s at the start, %s after the restart; peak %d at Givon (%d before the kill);"
                            + " %d generations, %d ended %s; %s; exits on SIGTERM %s; %.1f s%s", JOBS, WORKERS, CONCURRENCY, MAX_IN_FLIGHT,
                    sharesAtStart, sharesAfterRestart, end.peakConcurrentGenerations(), atKill.peakConcurrentGenerations(),
                    end.generationsCreated(), uncertain, UNCERTAIN, kill, exits, (System.nanoTime() - start) / 1e9,
                    overTheAccount.isEmpty() ? "" : "; over the account: " + String.join("; ", overTheAccount));
            System.out.println(figures);
            System.out.println("FleetAccountLimitsProcessTest at the peak, Givon ran: " + runningAtPeak(results));
            if (end.peakConcurrentGenerations() > MAX_IN_FLIGHT) {
                System.out.println("FleetAccountLimitsProcessTest workers' output:\n" + fleet.outputs());
            }

            // Through the kill, the new owners count the dead worker's generations before their shares grow; what
            // remains (docs/worker.md): one whose partitions hold more of them than its growth passes the account
            // by that many until the leader divides again, at most the dead worker's generations (1 of 10 seen).
            assertThat(end.peakConcurrentGenerations()).as("the fleet's generations at Givon at once; %s", figures)
                    .isLessThanOrEqualTo(MAX_IN_FLIGHT + killed.jobsInFlight());
            System.out.println("FleetAccountLimitsProcessTest peak through the kill: " + end.peakConcurrentGenerations() + " of "
                    + MAX_IN_FLIGHT + " (at most " + (MAX_IN_FLIGHT + killed.jobsInFlight()) + " allowed)");
            assertThat(atKill.peakConcurrentGenerations()).as("every slot of the account used while the queue was deep; %s", figures)
                    .isEqualTo(MAX_IN_FLIGHT);
            Guarantees.assertHeld(figures, Guarantees.verdicts(results, noDoublePay, committed));
            assertThat(uncertain).as("only a job in flight at the kill may end %s; %s", UNCERTAIN, figures)
                    .isLessThanOrEqualTo(CONCURRENCY);
            assertThat(exits).as("every worker drains and exits 0 on SIGTERM\n%s", fleet.outputs()).containsOnly(0);
        }
    }

    /** Each worker's share of the account, in slot order (-1 where its endpoint did not answer). */
    private static List<Integer> shares(WorkerFleet fleet) {
        return fleet.workers().stream().map(worker -> worker.concurrencyShare().orElse(-1)).toList();
    }

    /**
     * When Givon runs more of the fleet's generations than the account allows, and more than at any moment
     * noted before, what the workers held then (their permits, {@code troupe_jobs_in_flight}, and shares).
     */
    private void noteOverTheAccount(WorkerFleet fleet, List<String> moments, long startNanos) {
        long running = simulator.ledger().snapshot().activeGenerations();
        if (running > highestNoted) {
            highestNoted = running;
            List<Integer> permits = fleet.workers().stream().map(worker -> worker.jobsInFlight().orElse(-1)).toList();
            moments.add(String.format(Locale.ROOT, "%d running at Givon at %.1f s, workers' permits %s, shares %s", running,
                    (System.nanoTime() - startNanos) / 1e9, permits, shares(fleet)));
        }
    }

    /** The jobs Givon ran at the peak, each with how it ended and the worker that ended it. */
    private String runningAtPeak(OneResultPerJob results) {
        return simulator.ledger().runningAtPeak().stream().sorted().map(id -> id + " " + results.resultsOf(id).stream()
                .map(r -> r.status() + (r.error() == null ? "" : " " + r.error().code()) + " by " + r.worker()).toList())
                .collect(Collectors.joining(", "));
    }

    private static String job(String jobId) {
        return "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"batchId\":\"account\","
                + "\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}";
    }
}
