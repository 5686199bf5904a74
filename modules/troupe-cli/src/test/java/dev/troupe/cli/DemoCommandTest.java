package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.cli.view.SummaryTable;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaClusterExtension.class)
class DemoCommandTest {

    private final JobCodec codec = JobCodec.defaults();

    @TempDir
    Path dir;

    @Test
    void theDemoExitsZeroAndItsSummaryIsWhatTheResultsTopicHolds(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir);
        String batch = "demo-" + UUID.randomUUID().toString().substring(0, 8);

        CliRun.Result demo = CliRun.run("demo", "--kafka", kafka.bootstrapServers(), "--config", topics.config().toString(),
                "--jobs", "12", "--concurrency", "6", "--speedup", "2000", "--failure-rate", "0.25", "--batch", batch);

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        List<JobResult> onTopic = kafka.readAll(topics.results()).stream()
                .map(ConsumerRecord::value)
                .map(value -> codec.decodeResult(value.getBytes(StandardCharsets.UTF_8)))
                .filter(result -> batch.equals(result.batchId()))
                .toList();
        assertThat(onTopic).hasSize(12);
        assertThat(onTopic).extracting(JobResult::jobId).doesNotHaveDuplicates();
        assertThat(demo.out()).contains("Batch " + batch + ": 12 of 12 results, read back from " + topics.results());
        assertThat(demo.out()).contains(SummaryTable.render(onTopic));
        assertThat(demo.out()).contains("12 generations created").contains("no job was submitted twice");
        assertThat(demo.out()).contains("Jobs: queued 0, parked 0, at Givon 0, finished 12");
    }

    @Test
    void theDemoRunsOnItsOwnInJvmBrokerWithNothingButDefaults() {
        CliRun.Result demo = CliRun.run("demo", "--jobs", "5", "--speedup", "2000", "--failure-rate", "0");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("in-JVM broker at 127.0.0.1:").contains(": 5 of 5 results")
                .containsPattern("SUCCEEDED +5 ");
        // The dashboard is started with it (on 8070, or any free port when that one is taken) and its URL printed.
        assertThat(demo.out()).containsPattern("\n  Dashboard http://127\\.0\\.0\\.1:\\d+/\n");
    }

    @Test
    void withoutTheDashboardTheDemoPrintsNoUrlAndItsOptionsAreChecked() {
        CliRun.Result demo = CliRun.run("demo", "--jobs", "3", "--speedup", "2000", "--failure-rate", "0", "--no-dashboard");
        CliRun.Result both = CliRun.run("demo", "--no-dashboard", "--dashboard-actions");
        CliRun.Result badPort = CliRun.run("demo", "--dashboard-port", "70000");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).doesNotContain("Dashboard");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("--no-dashboard leaves out the dashboard");
        assertThat(badPort.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPort.err()).contains("--dashboard-port must be 0..65535");
    }

    @Test
    void aBudgetRejectsWhatItCannotPayForAndTheDemoStillCompletes(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir);
        String batch = "budget-" + UUID.randomUUID().toString().substring(0, 8);

        // 8 dances of 5+4+6+8+5+6+4+3 = 41 s cost 287 tokens; 100 tokens pay for a few jobs only.
        CliRun.Result demo = CliRun.run("demo", "--kafka", kafka.bootstrapServers(), "--config", topics.config().toString(),
                "--jobs", "8", "--concurrency", "1", "--speedup", "2000", "--failure-rate", "0", "--budget", "100",
                "--batch", batch);

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        List<JobResult> onTopic = kafka.readAll(topics.results()).stream()
                .map(record -> codec.decodeResult(record.value().getBytes(StandardCharsets.UTF_8)))
                .toList();
        assertThat(onTopic).hasSize(8);
        assertThat(onTopic.stream().filter(r -> r.status() == dev.troupe.model.JobStatus.REJECTED)).isNotEmpty();
        assertThat(onTopic.stream().filter(r -> r.status() == dev.troupe.model.JobStatus.SUCCEEDED)
                .map(JobResult::costTokens).reduce(dev.troupe.model.Tokens.ZERO, dev.troupe.model.Tokens::plus))
                .isLessThanOrEqualTo(dev.troupe.model.Tokens.of(100));
        assertThat(demo.out()).contains(SummaryTable.render(onTopic));
    }
}
