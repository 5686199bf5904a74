package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe retry} on the embedded broker: the latest run of each job decides, and a retry is the next run. */
@ExtendWith(KafkaClusterExtension.class)
class RetryCommandTest {

    private final JobCodec codec = JobCodec.defaults();

    @TempDir
    Path dir;

    @Test
    void aDryRunListsTheJobsWhoseLatestRunFailedWithTheirCostAndSendsNothing(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, job("s:ada", "s", 1), job("s:basil", "s", 1), job("s:coco", "s", 1), job("s:coco", "s", 2),
                job("other:1", "other", 1));
        sendResults(kafka, topics, List.of(result("s:ada", "s", JobStatus.SUCCEEDED, 1), result("s:basil", "s", JobStatus.FAILED, 1),
                result("s:coco", "s", JobStatus.FAILED, 1), result("s:coco", "s", JobStatus.SUCCEEDED, 2),
                result("s:basil", "s", JobStatus.FAILED, 1), result("other:1", "other", JobStatus.FAILED, 1)));

        CliRun.Result retry = CliRun.run("retry", "--batch", "s", "--dry-run", "--config", topics.config().toString());

        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).containsPattern("s:basil\\s+FAILED\\s+1 -> 2\\s+GENERATION_FAILED\\s+21")
                .doesNotContain("s:ada").doesNotContain("s:coco").doesNotContain("other:1")
                .contains("2 earlier or repeated results of batch s set aside")
                .contains("Would send 1 job of batch s, 21 tokens estimated. Nothing was sent (--dry-run).");
        assertThat(kafka.readAll(topics.jobs())).hasSize(5);
    }

    @Test
    void aRetrySendsEachChosenJobAsItsNextRunUnderItsOwnKey(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, job("r:1", "r", 1), job("r:2", "r", 1), job("r:3", "r", 1), job("r:3", "r", 2));
        sendResults(kafka, topics, List.of(result("r:1", "r", JobStatus.FAILED, 1), result("r:2", "r", JobStatus.EXPIRED, 1),
                result("r:3", "r", JobStatus.FAILED, 1), result("r:3", "r", JobStatus.REJECTED, 2)));

        CliRun.Result retry = CliRun.run("retry", "--batch", "r", "--status", "FAILED,REJECTED", "--config", topics.config().toString());

        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("Sent 2 jobs of batch r, 42 tokens estimated");
        List<ConsumerRecord<String, String>> records = kafka.readAll(topics.jobs());
        assertThat(records).extracting(r -> job(r.value()).jobId() + " run " + job(r.value()).run()).containsExactlyInAnyOrder(
                "r:1 run 1", "r:2 run 1", "r:3 run 1", "r:3 run 2", "r:1 run 2", "r:3 run 3");
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(job(r.value()).jobId()));

        // Sent again before the workers answer: run 2 of r:1 is under way, nothing is sent twice.
        CliRun.Result again = CliRun.run("retry", "--batch", "r", "--status", "FAILED,REJECTED", "--config", topics.config().toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(again.err()).contains("not retried: r:1: run 2 is sent already and has no result yet");
        assertThat(kafka.readAll(topics.jobs())).hasSize(6);
    }

    @Test
    void aJobNamedWhoseLatestRunSucceededIsLeftAloneSayingHowToRunItAgain(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, job("n:1", "n", 1));
        sendResults(kafka, topics, List.of(result("n:1", "n", JobStatus.SUCCEEDED, 1)));

        CliRun.Result retry = CliRun.run("retry", "--job", "n:1", "--job", "n:404", "--config", topics.config().toString());

        assertThat(retry.exitCode()).as(retry.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(retry.err()).contains("not retried: n:1: its latest run (1) ended SUCCEEDED; add --status SUCCEEDED to run it again")
                .contains("not retried: n:404: has no result yet");
        CliRun.Result usage = CliRun.run("retry", "--config", topics.config().toString());
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("retry needs --batch ID or --job ID");
    }

    private static String job(String jobId, String batchId, int run) {
        return "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"batchId\":\"" + batchId + "\",\"run\":" + run
                + ",\"tenant\":\"studio-a\",\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}";
    }

    private MotionJob job(String json) {
        return ((DecodeResult.Decoded) codec.decode(json.getBytes(StandardCharsets.UTF_8))).job();
    }

    private static JobResult result(String jobId, String batchId, JobStatus status, int run) {
        Instant start = Instant.parse("2026-05-01T10:00:00Z");
        return new JobResult(jobId, batchId, "studio-a", status, "gen-" + jobId + "-" + run,
                status == JobStatus.SUCCEEDED ? "https://cdn.example/" + jobId + ".mp4" : null, Tokens.of(21), 1,
                status == JobStatus.SUCCEEDED ? null : JobResult.Error.of("GENERATION_FAILED", "the generation failed", false),
                new JobResult.Timings(start, start, start.plusSeconds(1), start.plusSeconds(80)), Map.of(), run);
    }

    private static void sendJobs(KafkaCluster kafka, TestTopics topics, String... jobs) {
        kafka.produce(java.util.Arrays.stream(jobs).map(json -> new ProducerRecord<>(topics.jobs(),
                json.replaceAll(".*\"jobId\":\"([^\"]+)\".*", "$1"), json)).toList());
    }

    private void sendResults(KafkaCluster kafka, TestTopics topics, List<JobResult> results) {
        kafka.produce(results.stream().map(r -> new ProducerRecord<>(topics.results(), r.jobId(),
                new String(codec.encodeResult(r), StandardCharsets.UTF_8))).toList());
    }
}
