package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.BatchCodec;
import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.GenerationInput;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressCodec;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaClusterExtension.class)
class WatchCommandTest {

    private final JobCodec codec = JobCodec.defaults();

    @TempDir
    Path dir;

    @Test
    void watchingACompleteBatchExportsItsResultsAsJsonLines(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        List<JobResult> batch = List.of(succeeded("b:ada:salsa", "b", 35), failed("b:basil:salsa", "b"), succeeded("b:coco:salsa", "b", 21));
        sendJobs(kafka, topics, "b", "b:ada:salsa", "b:basil:salsa", "b:coco:salsa");
        sendResults(kafka, topics, List.of(batch.get(0), succeeded("other:1", "other", 70), batch.get(1), batch.get(2)));
        Path export = dir.resolve("exports/b.jsonl");

        CliRun.Result watch = CliRun.run("watch", "--batch", "b", "--output", export.toString(), "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        assertThat(watch.out()).contains("Batch b: 3 jobs on " + topics.jobs()).contains("Batch b: 3 of 3 results")
                .contains("progress: 3/3 done  2 succeeded  1 failed  84 tokens");
        assertThat(watch.err()).contains("wrote 3 results to " + export + " (jsonl)");
        assertThat(Files.readAllLines(export)).map(line -> codec.decodeResult(line.getBytes(StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrderElementsOf(batch);
    }

    @Test
    void watchingExportsCsvWithOneRowPerJob(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, "c", "c:1", "c:2");
        sendResults(kafka, topics, List.of(succeeded("c:1", "c", 35), failed("c:2", "c"), succeeded("c:1", "c", 35)));
        Path export = dir.resolve("c.csv");

        CliRun.Result watch = CliRun.run("watch", "--batch", "c", "--output", export.toString(), "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        List<String> rows = Files.readAllLines(export);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).startsWith("jobId,batchId,tenant,status,videoUrl,costTokens,");
        assertThat(rows.subList(1, 3)).anySatisfy(row -> assertThat(row).startsWith("c:1,c,studio-a,SUCCEEDED,https://cdn.example/c:1.mp4,35,"))
                .anySatisfy(row -> assertThat(row).startsWith("c:2,c,studio-a,FAILED,,28,").contains("GENERATION_FAILED"));
    }

    @Test
    void aJobRunAgainShowsItsLatestOutcomeAndTheSummarySaysWhatWasSetAside(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, "k", "k:1", "k:2");
        // A bad key failed both; fixed, the batch was sent again and k:1 ran (and was paid) then.
        sendResults(kafka, topics, List.of(failed("k:1", "k"), failed("k:2", "k"), succeeded("k:1", "k", 35), succeeded("k:1", "k", 35)));
        Path export = dir.resolve("k.jsonl");

        CliRun.Result watch = CliRun.run("watch", "--batch", "k", "--output", export.toString(), "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        assertThat(watch.out()).contains("2/2 done  1 succeeded  1 failed  91 tokens")
                .contains("(2 earlier or repeated results set aside: each job shows its latest run; tokens count every run)");
        assertThat(Files.readAllLines(export)).map(line -> codec.decodeResult(line.getBytes(StandardCharsets.UTF_8)))
                .extracting(JobResult::jobId, JobResult::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("k:1", JobStatus.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("k:2", JobStatus.FAILED));
    }

    @Test
    void aBatchWithAJobRetriedAfterItsCompletionWaitsForTheRetryNotForTheCompletionEvent(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        Instant at = Instant.parse("2025-05-01T10:05:00Z");
        BatchCodec batches = new BatchCodec();
        kafka.produce(topics.batches(), "r", new String(batches.encode(new BatchDescriptor("r", "studio-a", 2, Tokens.of(70), at)),
                StandardCharsets.UTF_8));
        sendJobs(kafka, topics, "r", "r:1", "r:2");
        sendResults(kafka, topics, List.of(succeeded("r:1", "r", 35), failed("r:2", "r")));
        kafka.produce(topics.batches(), "r", new String(batches.encode(new BatchCompletion("r", "studio-a", 2,
                Map.of(JobStatus.SUCCEEDED, 1, JobStatus.FAILED, 1), Tokens.of(63), at,
                List.of(new BatchCompletion.Unsuccessful("r:2", 1, JobStatus.FAILED, "GENERATION_FAILED", "the generation failed")), 0)),
                StandardCharsets.UTF_8));
        // troupe retry sent r:2 again as run 2, which has no result yet.
        kafka.produce(topics.jobs(), "r:2", "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"r:2\",\"batchId\":\"r\",\"run\":2}");

        CliRun.Result watch = CliRun.run("watch", "--batch", "r", "--timeout", "2s", "--config", topics.config().toString());

        assertThat(watch.out()).as(watch.toString()).contains("Batch r: 2 jobs on " + topics.jobs() + " (some retried: each job's latest run counts)")
                .doesNotContain("from its completion event");
        assertThat(watch.exitCode()).as("run 2 of r:2 has no result: not complete").isEqualTo(1);
    }

    @Test
    void anExportTheCliCannotWriteIsRefusedBeforeAnythingIsRead(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();

        CliRun.Result watch = CliRun.run("watch", "--batch", "k", "--output", dir.resolve("k.txt").toString(),
                "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(watch.err()).contains("say --format jsonl or --format csv").doesNotContain("unknown batch");
    }

    @Test
    void anIncompleteBatchGivesUpAtTheTimeoutWithExitCodeOne(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, "d", "d:1", "d:2");
        sendResults(kafka, topics, List.of(succeeded("d:1", "d", 21)));

        CliRun.Result watch = CliRun.run("watch", "--batch", "d", "--timeout", "1s", "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(watch.out()).contains("Batch d: 1 of 2 results");
        assertThat(watch.err()).contains("gave up after 1s: 1 of 2 jobs have a result");
    }

    @Test
    void aBatchShowsHowManyJobsAreQueuedParkedAtGivonAndFinishedFromTheWorkersProgressEvents(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, "p", "p:1", "p:2", "p:3", "p:4", "p:5");
        sendResults(kafka, topics, List.of(succeeded("p:1", "p", 21)));
        Instant at = Instant.parse("2030-01-01T09:00:00Z");
        String worker = "workers-1-7f3a9c01";
        MotionJob other = job("q:1", "q");
        sendProgress(kafka, topics, List.of(
                ProgressEvent.admitted(job("p:1", "p"), at, worker),
                ProgressEvent.submitted(job("p:1", "p"), at.plusSeconds(1), worker, "gen-p:1", 1),
                ProgressEvent.finished(job("p:1", "p"), at.plusSeconds(80), worker, JobStatus.SUCCEEDED),
                ProgressEvent.admitted(job("p:2", "p"), at, worker),
                ProgressEvent.retrying(job("p:2", "p"), at.plusSeconds(1), worker, 1, "RETRYABLE 5xx", at.plusSeconds(2)),
                ProgressEvent.submitted(job("p:2", "p"), at.plusSeconds(2), worker, "gen-p:2", 2),
                ProgressEvent.admitted(job("p:3", "p"), at, worker),
                ProgressEvent.parked(job("p:3", "p"), at, worker, Instant.parse("2030-01-01T10:00:00Z"), ProgressEvent.BUDGET_EXHAUSTED),
                ProgressEvent.admitted(job("p:4", "p"), at, worker),
                ProgressEvent.submitted(other, at, worker, "gen-q:1", 1)));

        CliRun.Result watch = CliRun.run("watch", "--batch", "p", "--timeout", "2s", "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(watch.out()).contains("Batch p: 1 of 5 results")
                .contains("Jobs: queued 2, parked 1 (budget studio-a until 2030-01-01 10:00Z), at Givon 1, finished 1");
        assertThat(watch.err()).contains("gave up after 2s: 1 of 5 jobs have a result");
    }

    private static MotionJob job(String jobId, String batchId) {
        return new MotionJob(jobId, batchId, "studio-a", 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL,
                new GenerationInput(Map.of("prompt", "p")));
    }

    private void sendProgress(KafkaCluster kafka, TestTopics topics, List<ProgressEvent> events) {
        ProgressCodec progress = new ProgressCodec();
        kafka.produce(events.stream().map(e -> new ProducerRecord<>(topics.progress(), e.jobId(),
                new String(progress.encode(e), StandardCharsets.UTF_8))).toList());
    }

    @Test
    void anUnknownBatchExitsWithOneAndSaysSo(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, "known", "known:1");

        CliRun.Result watch = CliRun.run("watch", "--batch", "nosuch", "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(watch.err()).isEqualTo("troupe watch: unknown batch nosuch: no job of it is on " + topics.jobs()
                + " and no descriptor on " + topics.batches() + " (a different batchId, or its jobs expired by retention?)"
                + System.lineSeparator());
        assertThat(watch.out()).isEmpty();
    }

    @Test
    void oneJobIsOneJob(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, "g", "g:1");
        sendResults(kafka, topics, List.of(succeeded("g:1", "g", 21)));
        Path export = dir.resolve("g.jsonl");

        CliRun.Result watch = CliRun.run("watch", "--batch", "g", "--output", export.toString(), "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        assertThat(watch.out()).contains("Batch g: 1 job on " + topics.jobs()).contains("Batch g: 1 of 1 result" + System.lineSeparator());
        assertThat(watch.err()).contains("wrote 1 result to " + export);
    }

    @Test
    void withoutABatchItListsEveryResultTheTopicHolds(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendResults(kafka, topics, List.of(succeeded("e:1", "e", 21), failed("f:1", "f")));

        CliRun.Result watch = CliRun.run("watch", "--config", topics.config().toString());

        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        assertThat(watch.out()).contains("SUCCEEDED e:1  21 tokens  https://cdn.example/e:1.mp4")
                .contains("FAILED    f:1  28 tokens  GENERATION_FAILED: the generation failed")
                .contains("2 results on " + topics.results());
    }

    private void sendJobs(KafkaCluster kafka, TestTopics topics, String batchId, String... jobIds) {
        for (String jobId : jobIds) {
            kafka.produce(topics.jobs(), jobId, "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId
                    + "\",\"batchId\":\"" + batchId + "\"}");
        }
    }

    private void sendResults(KafkaCluster kafka, TestTopics topics, List<JobResult> results) {
        kafka.produce(results.stream().map(r -> new ProducerRecord<>(topics.results(), r.jobId(),
                new String(codec.encodeResult(r), StandardCharsets.UTF_8))).toList());
    }

    static JobResult succeeded(String jobId, String batchId, long tokens) {
        Instant start = Instant.parse("2025-05-01T10:00:00Z");
        return new JobResult(jobId, batchId, "studio-a", JobStatus.SUCCEEDED, "gen-" + jobId, "https://cdn.example/" + jobId + ".mp4",
                Tokens.of(tokens), 1, null, new JobResult.Timings(start, start, start.plusSeconds(1), start.plusSeconds(80)),
                Map.of("character", "ada"));
    }

    static JobResult failed(String jobId, String batchId) {
        Instant start = Instant.parse("2025-05-01T10:00:00Z");
        return new JobResult(jobId, batchId, "studio-a", JobStatus.FAILED, "gen-" + jobId, null, Tokens.of(28), 1,
                JobResult.Error.of("GENERATION_FAILED", "the generation failed", false),
                new JobResult.Timings(start, start, start.plusSeconds(1), start.plusSeconds(70)), Map.of("character", "basil"));
    }
}
