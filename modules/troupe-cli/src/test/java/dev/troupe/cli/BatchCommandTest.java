package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.client.manifest.ManifestExpander;
import dev.troupe.model.JobCodec;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaClusterExtension.class)
class BatchCommandTest {

    static final String MANIFEST = """
            batchId: spring
            tenant: studio-a
            characters:
              - {name: ada, referencePhoto: "https://assets.example/ada.png"}
              - {name: basil, referencePhoto: "https://assets.example/basil.png"}
              - {name: coco, referencePhoto: "https://assets.example/coco.png"}
            motions:
              - {name: salsa, motionVideo: "https://assets.example/salsa.mp4", duration: 5}
              - {name: tango, motionVideo: "https://assets.example/tango.mp4", duration: 6}
            prompts:
              - {name: stage, template: "{character} dances {motion}"}
            """;

    @TempDir
    Path dir;

    @Test
    void sendingTheSameManifestTwiceSendsTheSameJobIds(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        Path manifest = Files.writeString(dir.resolve("spring.yaml"), MANIFEST);

        CliRun.Result first = CliRun.run("batch", manifest.toString(), "--config", topics.config().toString());
        CliRun.Result second = CliRun.run("batch", manifest.toString(), "--config", topics.config().toString());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(first.out()).contains("Sent 6 jobs of batch spring to " + topics.jobs() + " (231 tokens estimated).");
        Set<String> planned = new ManifestExpander(JobCodec.defaults()).expand(manifest).jobIds();
        List<ConsumerRecord<String, String>> records = kafka.readAll(topics.jobs());
        Map<String, Long> sendsPerJobId = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(sendsPerJobId).hasSize(6).containsOnlyKeys(planned);
        assertThat(sendsPerJobId.values()).containsOnly(2L);
        assertThat(planned).contains("spring:ada:salsa:stage", "spring:coco:tango:stage");
    }

    @Test
    void anInvalidManifestIsRefusedWithEveryProblemAndNothingIsSent(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        Path manifest = Files.writeString(dir.resolve("bad.yaml"), MANIFEST
                .replace("duration: 6", "duration: 3.5")
                .replace("https://assets.example/basil.png", "ftp://assets.example/basil.png")
                .replace("{motion}\"", "{moton}\""));

        CliRun.Result batch = CliRun.run("batch", manifest.toString(), "--config", topics.config().toString());

        assertThat(batch.exitCode()).as(batch.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(batch.err()).contains("bad.yaml is invalid (3 problems):")
                .contains("  characters[1].referencePhoto: ")
                .contains("  motions[1].duration: must be a whole number")
                .contains("  prompts[0].template: unknown placeholder {moton}");
        assertThat(kafka.readAll(topics.jobs())).isEmpty();
    }

    @Test
    void aDryRunPrintsThePlanAndSendsNothing(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        Path manifest = Files.writeString(dir.resolve("spring.yaml"), MANIFEST);

        CliRun.Result plan = CliRun.run("batch", manifest.toString(), "--dry-run", "--concurrency", "4",
                "--generation-time", "2m", "--config", topics.config().toString());

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out())
                .contains("Batch spring (tenant studio-a): 6 jobs from 3 characters, 2 motions, 1 prompt")
                .contains("Estimated cost: 231 tokens")
                .contains("Estimated time: 4m 00s at concurrency 4, assuming 2m per generation")
                .contains("spring:basil:tango:stage")
                .contains("Nothing was sent (--dry-run).");
        assertThat(kafka.readAll(topics.jobs())).isEmpty();
    }

    @Test
    void watchingABatchWhoseJobsDidNotAllSucceedExitsWithFive(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        Path manifest = Files.writeString(dir.resolve("spring.yaml"), MANIFEST);
        List<String> jobIds = new ManifestExpander(JobCodec.defaults()).expand(manifest).jobIds().stream().sorted().toList();
        // The results are on the topic already (as if workers had run the jobs): the watch reads them from the start.
        List<dev.troupe.model.JobResult> results = new java.util.ArrayList<>();
        results.add(WatchCommandTest.failed(jobIds.get(0), "spring"));
        jobIds.stream().skip(1).forEach(id -> results.add(WatchCommandTest.succeeded(id, "spring", 35)));
        JobCodec codec = JobCodec.defaults();
        kafka.produce(results.stream().map(r -> new org.apache.kafka.clients.producer.ProducerRecord<>(topics.results(), r.jobId(),
                new String(codec.encodeResult(r), java.nio.charset.StandardCharsets.UTF_8))).toList());

        CliRun.Result batch = CliRun.run("batch", manifest.toString(), "--watch", "--timeout", "30s", "--config", topics.config().toString());

        assertThat(batch.exitCode()).as(batch.toString()).isEqualTo(ExitCodes.JOBS_UNSUCCESSFUL);
        assertThat(batch.out()).contains("Batch spring: 6 of 6 results")
                .as("where the jobs are, from troupe.progress and the results, as watch --batch shows it")
                .contains("Jobs: queued 0, parked 0, at Givon 0, finished 6");
        assertThat(batch.err()).contains("troupe batch: 1 of 6 jobs did not succeed (1 FAILED): see the summary above");
    }

    @Test
    void theShippedExampleManifestsAreValid() {
        Path examples = TestFiles.repositoryFile("config/examples");
        for (String example : List.of("choreography.yaml", "casting-list.yaml")) {
            CliRun.Result plan = CliRun.run("batch", examples.resolve(example).toString(), "--dry-run");
            assertThat(plan.exitCode()).as(example + ": " + plan).isZero();
        }
    }

}
