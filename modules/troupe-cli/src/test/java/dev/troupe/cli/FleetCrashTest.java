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
import dev.troupe.testkit.TransactionHold;
import dev.troupe.testkit.guarantee.CommittedToLogEnd;
import dev.troupe.testkit.guarantee.Guarantees;
import dev.troupe.testkit.guarantee.NoDoublePay;
import dev.troupe.testkit.guarantee.OneResultPerJob;
import dev.troupe.testkit.guarantee.Verdict;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of three {@code troupe worker} JVMs, SIGKILLed one at a time at random moments while every
 * one of them has jobs at Givon, each restarted at once, then all drained: DESIGN.md guarantees 1
 * and 2 across crashes. Givon here ignores the {@code Idempotency-Key}, so a job submitted twice is
 * paid twice; only the job journal can keep the next owner from resubmitting.
 *
 * <p>The moments are drawn from a seeded {@link Random}; the seed is printed, and
 * {@code -Dtroupe.fleet.seed=N} replays a run's choices (the machine's timing still varies).
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FleetCrashTest {

    private static final int JOBS = 600;
    private static final int WORKERS = 3;
    /** Two partitions per worker, so a kill moves partitions and a restart takes some back. */
    private static final int PARTITIONS = 6;
    private static final int CONCURRENCY = 16;
    private static final int KILLS = 6;
    /**
     * 2 s generations (2,000 s compressed 1,000 times): 600 jobs are about 25 s of work for the fleet,
     * and every worker that owns partitions holds up to 16 generations at any moment of it.
     */
    private static final Duration GENERATION = Duration.ofSeconds(2_000);
    private static final String UNCERTAIN = "SUBMIT_UNCERTAIN";
    private static final Predicate<JobResult> SUCCEEDED_OR_UNCERTAIN = r -> r.status() == JobStatus.SUCCEEDED
            || (r.status() == JobStatus.FAILED && r.error() != null && UNCERTAIN.equals(r.error().code()));

    @TempDir
    Path dir;

    private final long seed = Long.getLong("troupe.fleet.seed", System.nanoTime());
    private Vertx vertx;
    private GivonSimulator simulator;

    @BeforeEach
    void startSimulator() throws Exception {
        vertx = Vertx.vertx();
        simulator = GivonSimulator.start(vertx, SimulatorConfig.builder()
                .fixedGenerationTime(GENERATION).timeCompression(1_000)
                .honourIdempotencyKey(false)
                .seed(seed).build()).await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopSimulator() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void sigkilledWorkersLoseNoJobRepeatNoResultAndPayNoGenerationTwice(KafkaCluster kafka) throws Exception {
        long startNanos = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("FleetCrashTest seed " + seed + " (replay the choices with -Dtroupe.fleet.seed=" + seed + ")");
        TestTopics topics = TestTopics.create(kafka, dir, PARTITIONS).created().pointedAt(simulator);
        List<String> jobIds = IntStream.range(0, JOBS).mapToObj(i -> "fleet-" + i).toList();
        NoDoublePay noDoublePay = NoDoublePay.on(simulator.ledger()).expect(jobIds);

        try (OneResultPerJob results = OneResultPerJob.reading(kafka.bootstrapServers(), topics.results()).expect(jobIds)
                     .allowOnly("SUCCEEDED, or FAILED " + UNCERTAIN + " (a submission the kill left uncertain)", SUCCEEDED_OR_UNCERTAIN);
             CommittedToLogEnd committed = CommittedToLogEnd.of(kafka.bootstrapServers(), topics.groupId(), topics.jobs());
             TransactionHold hold = new TransactionHold(kafka.bootstrapServers(), topics.results());
             WorkerFleet fleet = new WorkerFleet(kafka, topics, dir, WORKERS, PARTITIONS, CONCURRENCY)) {
            kafka.produce(jobIds.stream().map(id -> new ProducerRecord<>(topics.jobs(), id, job(id))).toList());
            fleet.startAll();

            List<String> kills = new ArrayList<>();
            List<CompletableFuture<Duration>> holds = new ArrayList<>();
            int inFlightAtKills = 0;
            for (int k = 0; k < KILLS; k++) {
                // The k-th kill comes at a random point of the k-th slice of the batch, while most of it is still to do.
                long threshold = Math.round(JOBS * (0.06 + 0.11 * k)) + random.nextInt(JOBS * 8 / 100);
                await("generation " + threshold + " at Givon, before kill " + (k + 1)).atMost(Duration.ofSeconds(120))
                        .until(() -> simulator.ledger().snapshot().generationsCreated() >= threshold);
                // A random worker among those holding jobs at Givon.
                int slot = fleet.awaitHoldingJobs("a worker holding jobs at Givon, before kill " + (k + 1), random.nextInt(WORKERS));
                WorkerFleet.Killed killed = fleet.kill(slot);
                // A transaction the kill left open holds read_committed readers until the broker aborts it.
                holds.add(hold.measure(Duration.ofSeconds(90)));
                String moment = killed.moment("kill " + (k + 1));
                LedgerSnapshot atKill = noDoublePay.observe(moment);
                committed.observe(moment);
                inFlightAtKills += killed.jobsInFlight();
                kills.add(moment + " at generation " + atKill.generationsCreated() + ", " + atKill.activeGenerations()
                        + " running at Givon, " + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9));
                System.out.println("FleetCrashTest " + kills.get(kills.size() - 1));
                fleet.restart(slot);
            }

            boolean allAnswered = within(Duration.ofSeconds(120), results::allAnswered);
            List<String> held = holds.stream().map(h -> {
                try {
                    return String.format(Locale.ROOT, "%.1f s", h.get(90, TimeUnit.SECONDS).toMillis() / 1e3);
                } catch (Exception e) {
                    return "not measured (" + e.getMessage() + ")";
                }
            }).toList();
            List<Integer> exits = fleet.terminateAll();
            boolean drained = within(Duration.ofSeconds(30), committed::holds);
            long uncertain = results.jobsEndedWith(r -> r.error() != null && UNCERTAIN.equals(r.error().code()));
            List<Verdict> verdicts = Guarantees.verdicts(results, noDoublePay, committed);
            String figures = String.format(Locale.ROOT, "FleetCrashTest seed %d: %d jobs, %d workers x concurrency %d, %d SIGKILLs"
                            + " (%d jobs in flight at them), %d ended %s, %d generations at Givon, %.1f s;%s%s exits on SIGTERM %s;"
                            + " read_committed readers of the results held after each kill %s%n  %s",
                    seed, JOBS, WORKERS, CONCURRENCY, kills.size(), inFlightAtKills, uncertain, UNCERTAIN, noDoublePay.generations(),
                    (System.nanoTime() - startNanos) / 1e9, allAnswered ? "" : " NOT every job answered within 120 s of the last kill;",
                    drained ? "" : " NOT committed to the log end 30 s after the drain;", exits, held, String.join("\n  ", kills));
            System.out.println(figures + "\n" + Guarantees.report(verdicts));

            Guarantees.assertHeld(figures, verdicts);
            assertThat(uncertain).as("jobs ended %s: only a job in flight at a kill may; %s", UNCERTAIN, figures)
                    .isLessThanOrEqualTo((long) KILLS * CONCURRENCY);
            assertThat(exits).as("every worker drains and exits 0 on SIGTERM\n%s", fleet.outputs()).containsOnly(0);
            // A kill inside a transaction holds them until the broker aborts it (transaction timeout + its check interval).
            assertThat(held).as("read_committed readers of the results released within 90 s of every kill; %s", figures)
                    .noneMatch(h -> h.startsWith("not measured"));
        }
    }

    /** True when {@code condition} came true within {@code limit}: the guarantees then say what is missing. */
    private static boolean within(Duration limit, Callable<Boolean> condition) {
        try {
            await().atMost(limit).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private static String job(String jobId) {
        return "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"batchId\":\"fleet\","
                + "\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}";
    }
}
