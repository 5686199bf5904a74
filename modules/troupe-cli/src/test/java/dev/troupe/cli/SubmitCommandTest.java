package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.MotionJob;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaClusterExtension.class)
class SubmitCommandTest {

    static final String[] JOB = {"--prompt", "Ada dances salsa", "--reference-photo", "https://assets.example/ada.png",
        "--motion-video", "https://assets.example/salsa.mp4", "--duration", "5", "--tenant", "studio-a", "--meta", "scene=42"};

    @TempDir
    Path dir;

    @Test
    void aJobFromFlagsIsSentAndItsIdPrinted(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();

        CliRun.Result first = submit(topics, JOB);
        CliRun.Result again = submit(topics, JOB);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        String jobId = first.out().strip();
        assertThat(jobId).startsWith("job:");
        assertThat(again.out().strip()).as("the same job gets the same derived id").isEqualTo(jobId);
        assertThat(first.err()).contains("sent to " + topics.jobs()).contains("estimated cost 35 tokens");
        List<ConsumerRecord<String, String>> records = kafka.readAll(topics.jobs());
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(jobId, jobId);
        MotionJob job = ((DecodeResult.Decoded) JobCodec.defaults().decode(records.get(0).value().getBytes(StandardCharsets.UTF_8))).job();
        assertThat(job.tenant()).isEqualTo("studio-a");
        assertThat(job.metadata()).containsEntry("scene", "42");
        assertThat(job.input().integer("duration")).hasValue(5L);
    }

    @Test
    void aJobFromAFileKeepsItsFieldsAndTakesAnExplicitId(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        Path file = Files.writeString(dir.resolve("job.json"), """
                {"batchId": "manual", "input": {"prompt": "Basil tangos", "referencePhoto": "https://assets.example/basil.png",
                 "motionVideo": "https://assets.example/tango.mp4", "aspectRatio": "16:9"}}
                """);

        CliRun.Result submit = submit(topics, "--file", file.toString(), "--job-id", "manual:basil:tango");

        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        assertThat(submit.out().strip()).isEqualTo("manual:basil:tango");
        assertThat(kafka.readAll(topics.jobs())).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("\"batchId\":\"manual\"").contains("\"aspectRatio\":\"16:9\""));
    }

    @Test
    void aMisspeltTopLevelFieldIsWarnedAboutWithTheFieldItMeantOnADryRun() throws Exception {
        Path file = Files.writeString(dir.resolve("job.json"), """
                {"tennant": "studio-a", "colour": "red", "input": {"prompt": "Basil tangos",
                 "referencePhoto": "https://assets.example/basil.png", "motionVideo": "https://assets.example/tango.mp4"}}
                """);
        Path clean = Files.writeString(dir.resolve("clean.json"), """
                {"tenant": "studio-a", "input": {"prompt": "Basil tangos",
                 "referencePhoto": "https://assets.example/basil.png", "motionVideo": "https://assets.example/tango.mp4"}}
                """);

        CliRun.Result dryRun = CliRun.run("submit", "--file", file.toString(), "--dry-run");
        CliRun.Result cleanRun = CliRun.run("submit", "--file", clean.toString(), "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.err().lines()).contains(
                "troupe submit: warning: unknown field \"tennant\" in " + file + " (did you mean \"tenant\"?); the workers ignore it",
                "troupe submit: warning: unknown field \"colour\" in " + file + "; the workers ignore it");
        MotionJob sent = ((DecodeResult.Decoded) JobCodec.defaults().decode(dryRun.out().strip().getBytes(StandardCharsets.UTF_8))).job();
        assertThat(sent.tenant()).as("what the warning is about: the job goes to the default budget").isNull();
        assertThat(cleanRun.exitCode()).as(cleanRun.toString()).isZero();
        assertThat(cleanRun.err()).doesNotContain("warning");
    }

    @Test
    void aSentJobIsWarnedAboutItsUnknownFieldsToo(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        Path file = Files.writeString(dir.resolve("job.json"), """
                {"priorty": 5, "input": {"prompt": "Basil tangos",
                 "referencePhoto": "https://assets.example/basil.png", "motionVideo": "https://assets.example/tango.mp4"}}
                """);

        CliRun.Result submit = submit(topics, "--file", file.toString());

        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        assertThat(submit.err()).contains("warning: unknown field \"priorty\" in " + file + " (did you mean \"priority\"?)")
                .contains("sent to " + topics.jobs());
        assertThat(kafka.readAll(topics.jobs())).hasSize(1);
    }

    @Test
    void anInvalidJobIsRefusedWithEveryProblemAndNotSent(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();

        CliRun.Result submit = submit(topics, "--prompt", "Ada dances", "--reference-photo", "http://assets.example/ada.png",
                "--duration", "20", "--aspect-ratio", "2:1");

        assertThat(submit.exitCode()).as(submit.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(submit.err()).contains("is invalid (4 problems)")
                .contains("input.duration: must be within 3..15, got 20")
                .contains("input.referencePhoto: plain http is refused")
                .contains("input.aspectRatio: must be one of 9:16, 16:9, 1:1, 4:3, 3:4 (got 2:1)")
                .contains("input.motionVideo: required");
        assertThat(submit.out()).isEmpty();
        assertThat(kafka.readAll(topics.jobs())).isEmpty();
    }

    @Test
    void anUnreachableKafkaExitsWithCodeThreeAndSaysWhatToDo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        CliRun.Result submit = CliRun.run(concat(concat(new String[] {"submit"}, JOB), "--kafka", "127.0.0.1:" + closedPort,
                "--kafka-timeout", "1s"));

        assertThat(submit.exitCode()).as(submit.toString()).isEqualTo(ExitCodes.KAFKA_UNREACHABLE);
        assertThat(submit.err()).contains("Kafka at 127.0.0.1:" + closedPort + " is not reachable within 1 s")
                .contains("--kafka HOST:PORT");
    }

    @Test
    void aMissingTopicIsNamedWithTheCommandThatCreatesIt(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir);

        CliRun.Result submit = submit(topics, JOB);

        assertThat(submit.exitCode()).as(submit.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(submit.err()).contains("topic " + topics.jobs() + " does not exist").contains("troupe topics create");
    }

    private static CliRun.Result submit(TestTopics topics, String... args) {
        return CliRun.run(concat(concat(new String[] {"submit"}, args), "--config", topics.config().toString()));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
