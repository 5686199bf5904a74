package dev.troupe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.model.GenerationInput;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Violation;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class JobSubmitterTest {

    private final JobCodec codec = JobCodec.defaults();

    @Test
    void validJobsLandOnTheTopicKeyedByJobIdWithDefaultsApplied(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("jobs");
        kafka.createTopic(topic, 3);

        List<SentJob> sent;
        try (JobSubmitter submitter = JobSubmitter.create(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)) {
            sent = submitter.submitAll(List.of(job("job-1", 5), job("job-2", 3)));
        }

        assertThat(sent).extracting(SentJob::jobId).containsExactly("job-1", "job-2");
        List<ConsumerRecord<String, String>> records = kafka.readAll(topic);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("job-1", "job-2");
        MotionJob read = ((dev.troupe.model.DecodeResult.Decoded) codec.decode(
                records.stream().filter(r -> r.key().equals("job-1")).findFirst().orElseThrow().value()
                        .getBytes(StandardCharsets.UTF_8))).job();
        assertThat(read.input().text("aspectRatio")).hasValue("9:16");
        assertThat(read.input().integer("duration")).hasValue(5L);
    }

    @Test
    void anInvalidJobIsRefusedWithEveryViolationAndNothingIsSent(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("jobs");
        kafka.createTopic(topic, 1);
        Map<String, Object> fields = new LinkedHashMap<>(job("ok", 5).input().fields());
        fields.put("duration", 20L);
        fields.put("referencePhoto", "http://assets.example/ada.png");
        MotionJob invalid = new MotionJob("bad job id", null, null, 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL,
                new GenerationInput(fields));

        try (JobSubmitter submitter = JobSubmitter.create(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)) {
            assertThatThrownBy(() -> submitter.submitAll(List.of(job("ok", 5), invalid)))
                    .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.violations())
                            .extracting(Violation::path)
                            .containsExactlyInAnyOrder("jobId", "input.duration", "input.referencePhoto"));
        }

        assertThat(kafka.readAll(topic)).isEmpty();
    }

    @Test
    void aKafkaThatDoesNotAnswerIsReportedAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        KafkaConnection nowhere = KafkaConnection.of("127.0.0.1:" + closedPort).withTimeout(Duration.ofSeconds(1));

        assertThatThrownBy(nowhere::awaitReachable)
                .isInstanceOf(KafkaUnreachableException.class)
                .hasMessageStartingWith("Kafka at 127.0.0.1:" + closedPort + " is not reachable within 1 s");
    }

    @Test
    void missingTopicsAreNamed(KafkaCluster kafka) {
        String absent = kafka.uniqueTopic("absent");
        KafkaConnection connection = KafkaConnection.of(kafka.bootstrapServers());

        assertThatThrownBy(() -> connection.requireTopics(List.of(absent)))
                .isInstanceOf(MissingTopicsException.class)
                .hasMessageContaining("topic " + absent + " does not exist")
                .hasMessageContaining("troupe topics create");
    }

    static MotionJob job(String jobId, long seconds) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("prompt", "Ada dances salsa");
        input.put("duration", seconds);
        input.put("referencePhoto", "https://assets.example/ada.png");
        input.put("motionVideo", "https://assets.example/salsa.mp4");
        return new MotionJob(jobId, "batch-1", "studio-a", 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL, new GenerationInput(input));
    }
}
