package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe worker} in its own JVM, stopped with SIGTERM mid-batch: it drains (every generation
 * Givon accepted is followed and published), commits, and exits; a second worker then runs only the
 * rest; SIGKILL loses nothing either. Givon is a simulator in this JVM, so its ledger sees both workers.
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerSignalTest {

    private static final int JOBS = 60;
    private static final int CONCURRENCY = 8;
    /** A worker that drained cleanly on SIGTERM succeeded (the JVM's own code would be 128 + 15 = 143). */
    private static final int EXIT_ON_SIGTERM = 0;

    @TempDir
    Path dir;

    private Vertx vertx;
    private GivonSimulator simulator;

    @BeforeEach
    void startSimulator() throws Exception {
        vertx = Vertx.vertx();
        // 1 s generations (1,000 s compressed 1,000 times): long enough to stop the worker mid-flight.
        simulator = GivonSimulator.start(vertx, SimulatorConfig.builder().fixedGenerationTime(Duration.ofSeconds(1_000))
                .timeCompression(1_000).seed(7).build()).await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopSimulator() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void sigtermHandsOverAndTheNextWorkerFollowsWhatWasAtGivon(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created().pointedAt(simulator);
        kafka.produce(IntStream.range(0, JOBS).mapToObj(i -> new ProducerRecord<>(topics.jobs(), "sig-" + i, job("sig-" + i)))
                .toList());

        try (WorkerProcess first = worker("first", topics)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> simulator.ledger().snapshot().generationsCreated() >= CONCURRENCY);
            int exit = first.terminate();
            assertThat(exit).as(first.toString()).isEqualTo(EXIT_ON_SIGTERM);
            assertThat(first.output()).contains("Worker running in group")
                    .contains("Handing over: no new jobs are taken; generations at Givon are left in the journal for the next"
                            + " worker (submissions on the wire get up to 20s, worker.shutdown-grace).");
        }
        LedgerSnapshot atStop = simulator.ledger().snapshot();
        assertThat(atStop.generationsCreated()).as("the stop came mid-batch").isBetween((long) CONCURRENCY, JOBS - 1L);
        assertThat(results(kafka, topics).size()).as("generations still running at the stop were handed over, not waited for")
                .isLessThan((int) atStop.generationsCreated());

        try (WorkerProcess second = worker("second", topics)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> kafka.readAll(topics.results()).size() >= JOBS);
            assertThat(second.terminate()).as(second.toString()).isEqualTo(EXIT_ON_SIGTERM);
        }
        assertThat(results(kafka, topics)).hasSize(JOBS);
        assertThat(results(kafka, topics).values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
        LedgerSnapshot ledger = simulator.ledger().snapshot();
        assertThat(ledger.generationsCreated()).as("the second worker followed the first one's generations").isEqualTo(JOBS);
        assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
        assertThat(committedTotal(kafka, topics)).isEqualTo(JOBS);
    }

    /**
     * SIGKILL gives no chance to hand over. Nothing is lost, and what the killed worker had at Givon
     * is followed by the next one from the journal, not submitted again (FleetCrashTest does it with
     * a Givon that ignores the Idempotency-Key, and many kills).
     */
    @Test
    void sigkillLosesNoJobAndTheNextWorkerFollowsWhatTheKilledOneHadAtGivon(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created().pointedAt(simulator);
        kafka.produce(IntStream.range(0, JOBS).mapToObj(i -> new ProducerRecord<>(topics.jobs(), "kill-" + i, job("kill-" + i)))
                .toList());

        LedgerSnapshot atKill;
        try (WorkerProcess first = worker("first", topics)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> simulator.ledger().snapshot().generationsCreated() >= CONCURRENCY);
            first.awaitRunning().kill();
            atKill = simulator.ledger().snapshot();
        }
        assertThat(atKill.generationsCreated()).as("the kill came mid-batch").isLessThan(JOBS);

        try (WorkerProcess second = worker("second", topics)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> distinctJobIds(kafka, topics) >= JOBS);
            assertThat(second.terminate()).as(second.toString()).isEqualTo(EXIT_ON_SIGTERM);
        }
        assertThat(distinctJobIds(kafka, topics)).isEqualTo(JOBS);
        LedgerSnapshot ledger = simulator.ledger().snapshot();
        for (int i = 0; i < JOBS; i++) {
            String jobId = "kill-" + i;
            assertThat(ledger.generationsFor(jobId)).as(jobId).isEqualTo(1);
        }
        assertThat(committedTotal(kafka, topics)).isEqualTo(JOBS);
    }

    private static long committedTotal(KafkaCluster kafka, TestTopics topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(topics.groupId())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static long distinctJobIds(KafkaCluster kafka, TestTopics topics) {
        return kafka.readAll(topics.results()).stream().map(r -> r.key()).distinct().count();
    }

    /** One result per jobId (a second one fails the test). */
    private static Map<String, JobResult> results(KafkaCluster kafka, TestTopics topics) {
        JobCodec codec = JobCodec.defaults();
        return kafka.readAll(topics.results()).stream()
                .map(r -> codec.decodeResult(r.value().getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.toMap(JobResult::jobId, r -> r, (a, b) -> {
                    throw new AssertionError("two results for " + a.jobId() + ": " + a + " and " + b);
                }));
    }

    private static String job(String jobId) {
        return "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"batchId\":\"sig\","
                + "\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}";
    }

    private WorkerProcess worker(String name, TestTopics topics) throws IOException {
        return WorkerProcess.start(name, topics.config(), dir, "--concurrency", Integer.toString(CONCURRENCY), "--ops-port", "-1");
    }
}
