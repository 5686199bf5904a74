package dev.troupe.testkit.guarantee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The checkers themselves: each must see the break it exists for, name it, and stay quiet when nothing broke. */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GuaranteeCheckersTest {

    private static final JobCodec CODEC = JobCodec.defaults();

    @Test
    void oneResultPerJobNamesTheJobsWithNoResultAndWithTwoAndIgnoresAbortedOnes(KafkaCluster kafka) {
        String results = kafka.uniqueTopic("results");
        kafka.createTopic(results, 2);
        kafka.produce(List.of(result(results, "a", JobStatus.SUCCEEDED, null), result(results, "b", JobStatus.SUCCEEDED, null),
                result(results, "b", JobStatus.SUCCEEDED, null), result(results, "c", JobStatus.FAILED, "GENERATION_FAILED")));
        produceAborted(kafka, result(results, "d", JobStatus.SUCCEEDED, null));

        try (OneResultPerJob check = OneResultPerJob.reading(kafka.bootstrapServers(), results)
                .expect(List.of("a", "b", "c", "d"))
                .allowOnly("SUCCEEDED", r -> r.status() == JobStatus.SUCCEEDED)) {
            Verdict verdict = check.verdict();

            assertThat(verdict.held()).isFalse();
            assertThat(verdict.summary()).startsWith("1 of 4 jobs without a result, 1 with 2 or more results, 1 with an outcome not allowed");
            assertThat(verdict.breaches()).anyMatch(line -> line.startsWith("job d: no result"))
                    .anyMatch(line -> line.startsWith("job b: 2 results: SUCCEEDED"))
                    .anyMatch(line -> line.startsWith("job c: ended FAILED GENERATION_FAILED"))
                    .noneMatch(line -> line.startsWith("job a"));
            assertThatThrownBy(check::assertHeld).isInstanceOf(AssertionError.class).hasMessageContaining("OneResultPerJob BROKEN");
        }
    }

    @Test
    void oneResultPerJobHoldsWhenEveryJobHasOneResult(KafkaCluster kafka) {
        String results = kafka.uniqueTopic("results");
        kafka.createTopic(results, 2);
        kafka.produce(List.of(result(results, "a", JobStatus.SUCCEEDED, null), result(results, "b", JobStatus.FAILED, "SUBMIT_UNCERTAIN")));
        try (OneResultPerJob check = OneResultPerJob.reading(kafka.bootstrapServers(), results).expect(List.of("a", "b"))) {
            await().atMost(Duration.ofSeconds(30)).until(check::allAnswered);
            assertThat(check.jobsEndedWith(r -> r.error() != null && r.error().code().equals("SUBMIT_UNCERTAIN"))).isEqualTo(1);
            assertThat(check.verdict().held()).as(check.verdict().report()).isTrue();
        }
    }

    @Test
    void noDoublePayNamesAJobGivonCreatedTwoGenerationsForAndWhenTheSecondCame() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            GivonSimulator sim = GivonSimulator.start(vertx, SimulatorConfig.builder().honourIdempotencyKey(false).build())
                    .await(10, TimeUnit.SECONDS);
            NoDoublePay check = NoDoublePay.on(sim.ledger()).expect(List.of("job-1", "job-2"));
            submit(sim, "job-1");
            submit(sim, "job-2");
            check.observe("both submitted");
            assertThat(check.verdict().held()).as(check.verdict().report()).isTrue();

            submit(sim, "job-2");
            Verdict verdict = check.verdict();

            assertThat(verdict.held()).isFalse();
            assertThat(verdict.summary()).startsWith("1 of 2 jobs paid more than allowed (1 generations too many)");
            assertThat(verdict.breaches()).singleElement().asString()
                    .startsWith("job job-2: 2 generations at Givon, 1 allowed")
                    .contains("(not yet at both submitted)");

            NoDoublePay again = NoDoublePay.on(sim.ledger()).expectAlreadyPaid(sim.ledger().snapshot(), "the first run ended");
            assertThat(again.verdict().held()).isTrue();
            submit(sim, "job-1");
            assertThat(again.verdict().breaches()).singleElement().asString()
                    .contains("job job-1: 2 generations at Givon, 1 allowed (already paid when the first run ended)");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void committedToLogEndNamesThePartitionBehindAndSinceWhen(KafkaCluster kafka) {
        String jobs = kafka.uniqueTopic("jobs");
        String group = kafka.uniqueTopic("group");
        kafka.createTopic(jobs, 2);
        kafka.produce(List.of(new ProducerRecord<>(jobs, 0, "j1", "x"), new ProducerRecord<>(jobs, 0, "j2", "x"),
                new ProducerRecord<>(jobs, 1, "j3", "x")));
        try (CommittedToLogEnd check = CommittedToLogEnd.of(kafka.bootstrapServers(), group, jobs)) {
            commit(kafka, group, Map.of(new TopicPartition(jobs, 0), 1L));
            check.observe("the first commit");
            Verdict verdict = check.verdict();
            assertThat(check.holds()).isFalse();
            assertThat(verdict.breaches()).containsExactly(
                    "partition " + jobs + "-0: committed 1, log end 2 (1 records not accounted for); unchanged since the first commit",
                    "partition " + jobs + "-1: committed nothing, log end 1 (1 records not accounted for); unchanged since the first commit");

            commit(kafka, group, Map.of(new TopicPartition(jobs, 0), 2L, new TopicPartition(jobs, 1), 1L));
            assertThat(check.holds()).isTrue();
            assertThat(check.verdict().held()).isTrue();
        }
    }

    @Test
    void resumesWithinNamesThePartitionWhoseProbeWasNotTakenUp() {
        ResumesWithin check = ResumesWithin.of(Duration.ofSeconds(10));
        ResumesWithin.HandOver handOver = check.handOver("worker A closes").probe("jobs-0", "probe-0").probe("jobs-1", "probe-1");

        assertThat(handOver.resumed("probe-0"::equals)).isFalse();

        assertThat(check.verdict().breaches()).singleElement().asString()
                .startsWith("hand-over 'worker A closes': partition jobs-1 had not taken up probe job probe-1");
        assertThat(handOver.resumed(id -> true)).isTrue();
        assertThat(check.verdict().held()).isTrue();
    }

    @Test
    void assertAllReportsEveryBrokenGuaranteeInOneFailure() {
        Guarantee broken = () -> new Verdict("A", "2 broke", List.of("x", "y"));
        Guarantee alsoBroken = () -> new Verdict("B", "1 broke", List.of("z"));
        Guarantee held = () -> new Verdict("C", "fine", List.of());

        assertThatThrownBy(() -> Guarantees.assertAll(held, broken, alsoBroken))
                .hasMessageStartingWith("2 of 3 guarantees broken")
                .hasMessageContaining("A BROKEN: 2 broke\n    x\n    y")
                .hasMessageContaining("B BROKEN: 1 broke\n    z")
                .hasMessageContaining("C held: fine");
    }

    private static ProducerRecord<String, String> result(String topic, String jobId, JobStatus status, String code) {
        JobResult result = new JobResult(jobId, null, null, status, "gen-" + jobId, null, null, 1,
                code == null ? null : JobResult.Error.of(code, "because", false), null, Map.of());
        return new ProducerRecord<>(topic, jobId, new String(CODEC.encodeResult(result), StandardCharsets.UTF_8));
    }

    private static void produceAborted(KafkaCluster kafka, ProducerRecord<String, String> record) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.uniqueTopic("tx"),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record);
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static void commit(KafkaCluster kafka, String group, Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
            offsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(commits, Duration.ofSeconds(10));
        }
    }

    private static void submit(GivonSimulator sim, String jobId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/v1/generations"))
                .header("Authorization", "Bearer " + SimulatorConfig.DEFAULT_API_KEY)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", jobId)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"type":"video","model":"kling-3.0-motion",
                         "input":{"prompt":"a robot dances","referencePhoto":"asset://asset_photo1","motionVideo":"asset://asset_m1"}}"""))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }
}
