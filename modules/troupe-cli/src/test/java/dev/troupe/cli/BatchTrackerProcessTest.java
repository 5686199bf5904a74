package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.client.BatchRecords;
import dev.troupe.client.KafkaConnection;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.BatchCodec;
import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.testkit.guarantee.OneResultPerJob;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code troupe worker} JVMs run a described batch with their embedded batch trackers; one is
 * SIGKILLed while it holds jobs at Givon (and tracker tasks) and restarted: a read_committed reader of
 * {@code troupe.batches} sees exactly one completion for the batch, and its counts are those of the
 * results topic.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BatchTrackerProcessTest {

    private static final int JOBS = 120;
    private static final int WORKERS = 2;
    private static final int PARTITIONS = 4;
    private static final int CONCURRENCY = 8;
    /** 2 s generations (2,000 s compressed 1,000 times): the batch is about 15 s of work for the fleet. */
    private static final Duration GENERATION = Duration.ofSeconds(2_000);

    @TempDir
    Path dir;

    private Vertx vertx;
    private GivonSimulator simulator;

    @BeforeEach
    void startSimulator() throws Exception {
        vertx = Vertx.vertx();
        simulator = GivonSimulator.start(vertx, SimulatorConfig.builder().fixedGenerationTime(GENERATION).timeCompression(1_000).build())
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopSimulator() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aBatchRunByAFleetWithAWorkerKilledMidBatchCompletesExactlyOnce(KafkaCluster kafka) throws Exception {
        long began = System.nanoTime();
        TestTopics topics = TestTopics.create(kafka, dir, PARTITIONS).withTracker().created().pointedAt(simulator);
        List<String> jobIds = IntStream.range(0, JOBS).mapToObj(i -> "tracked-" + i).toList();

        try (OneResultPerJob results = OneResultPerJob.reading(kafka.bootstrapServers(), topics.results()).expect(jobIds);
             WorkerFleet fleet = new WorkerFleet(kafka, topics, dir, WORKERS, PARTITIONS, CONCURRENCY)) {
            fleet.startAllAndSettle("BatchTrackerProcessTest");
            // As troupe batch does: the descriptor, acknowledged, then the jobs.
            BatchRecords.send(KafkaConnection.of(kafka.bootstrapServers()), topics.batches(),
                    new BatchDescriptor("tracked", null, JOBS, Tokens.of(21L * JOBS), Instant.now()));
            kafka.produce(jobIds.stream().map(id -> new ProducerRecord<>(topics.jobs(), id, job(id))).toList());

            await("a third of the batch at Givon").atMost(Duration.ofSeconds(120))
                    .until(() -> simulator.ledger().snapshot().generationsCreated() >= JOBS / 3);
            int slot = fleet.awaitHoldingJobs("a worker holding jobs at Givon", 0);
            WorkerFleet.Killed killed = fleet.kill(slot);
            fleet.restart(slot);

            try {
                await("every job answered").atMost(Duration.ofSeconds(240)).until(results::allAnswered);
                await("the batch's completion on " + topics.batches()).atMost(Duration.ofSeconds(180))
                        .until(() -> !completions(kafka, topics.batches()).isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + fleet.outputs(), e);
            }
            List<Integer> exits = fleet.terminateAll();

            List<BatchCompletion> completions = completions(kafka, topics.batches());
            Map<JobStatus, Integer> expected = new EnumMap<>(JobStatus.class);
            Tokens charged = Tokens.ZERO;
            for (String jobId : jobIds) {
                List<JobResult> its = results.resultsOf(jobId);
                JobResult last = its.get(its.size() - 1);
                expected.merge(last.status(), 1, Integer::sum);
                charged = charged.plus(last.costTokens());
            }
            System.out.printf(Locale.ROOT, "BatchTrackerProcessTest: %d jobs, %s; %d completion(s) %s; exits %s; %.1f s%n", JOBS,
                    killed.moment("kill"), completions.size(), completions, exits, (System.nanoTime() - began) / 1e9);

            assertThat(completions).as("one completion for the batch, read_committed\n%s", fleet.outputs()).hasSize(1);
            BatchCompletion completion = completions.get(0);
            assertThat(completion.jobs()).isEqualTo(JOBS);
            for (JobStatus status : JobStatus.values()) {
                assertThat(completion.counts().get(status)).as(status.name()).isEqualTo(expected.getOrDefault(status, 0));
            }
            assertThat(completion.costTokens()).isEqualTo(charged);
            assertThat(completion.unsuccessful().size() + completion.unlisted())
                    .isEqualTo(JOBS - expected.getOrDefault(JobStatus.SUCCEEDED, 0));
            assertThat(exits).as("every worker drains and exits 0 on SIGTERM, its tracker closed\n%s", fleet.outputs()).containsOnly(0);
        }
    }

    private static List<BatchCompletion> completions(KafkaCluster kafka, String topic) {
        BatchCodec codec = new BatchCodec();
        return kafka.readAll(topic).stream().map(ConsumerRecord::value)
                .map(value -> codec.decode(value.getBytes(StandardCharsets.UTF_8)))
                .filter(BatchCodec.Completion.class::isInstance).map(c -> ((BatchCodec.Completion) c).completion()).toList();
    }

    private static String job(String jobId) {
        return "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"batchId\":\"tracked\","
                + "\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}";
    }
}
