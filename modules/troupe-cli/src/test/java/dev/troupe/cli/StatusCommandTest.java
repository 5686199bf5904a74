package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.cli.view.JobStatusSchema;
import dev.troupe.client.results.TopicScan;
import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressCodec;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe status JOBID} on the embedded broker: records, results and journal entries written with the codecs. */
@ExtendWith(KafkaClusterExtension.class)
class StatusCommandTest {

    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    private static final String WORKER = "workers-a-1a2b3c4d";

    private final JobCodec codec = JobCodec.defaults();
    private final JournalCodec journal = JournalCodec.defaults();

    @TempDir
    Path dir;

    @Test
    void aJobFailedThenRetriedShowsBothRunsAndNamesTheSecondItsOutcome(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        String id = "spring:ada:salsa:stage";
        List<RecordMetadata> sent = sendJobs(kafka, topics, List.of(job(id, 1, T0), job("spring:basil:salsa:stage", 1, T0),
                job(id, 1, T0.plusSeconds(60)), job(id, 2, T0.plusSeconds(7_200))));
        JobResult failed = result(id, JobStatus.FAILED, 1, T0);
        JobResult succeeded = result(id, JobStatus.SUCCEEDED, 2, T0.plusSeconds(7_200));
        sendResults(kafka, topics, List.of(failed, succeeded, succeeded, result("spring:basil:salsa:stage", JobStatus.SUCCEEDED, 1, T0)));
        journal(kafka, topics, id, List.of(
                new JournalEntry.Finished(id, T0.plusSeconds(80), JobStatus.FAILED, "gen-" + id + "-1", Tokens.of(21), 1),
                new JournalEntry.Submitting(id + "#2", T0.plusSeconds(7_201), 1),
                new JournalEntry.Finished(id + "#2", T0.plusSeconds(7_280), JobStatus.SUCCEEDED, "gen-" + id + "-2", Tokens.of(21), 1)));

        CliRun.Result status = CliRun.run("status", id, "--config", topics.config().toString());

        assertThat(status.exitCode()).as(status.toString()).isZero();
        int p = partition(id, 3);
        assertThat(status.out().lines().toList()).containsExactly(
                "Job " + id + " (" + topics.jobs() + " partition " + p + ", " + topics.results() + " partition " + partition(id, 2)
                        + ", " + topics.state() + " partition " + p + ")",
                "  batch      spring",
                "  tenant     studio-a",
                "  model      kling-3.0-motion, 3 s, 9:16",
                "  character  ada",
                "  motion     salsa",
                "  estimate   21 tokens",
                "  outcome    run 2 SUCCEEDED",
                "",
                "Run 1",
                "  sent       2026-05-01T10:00:00Z (offset " + sent.get(0).offset() + ")",
                "  sent again 2026-05-01T10:01:00Z (offset " + sent.get(2).offset() + "): the same run, run once",
                "  journal    finished FAILED at 2026-05-01T10:01:20Z, generation gen-" + id + "-1",
                "  result     FAILED, 21 tokens, 1 attempt, generation gen-" + id + "-1, by " + WORKER + " (offset 0)",
                "  error      GENERATION_FAILED: the generation failed",
                "  timings    enqueued 2026-05-01T10:00:00Z, started +0s, submitted +1s, completed +1m 20s",
                "",
                "Run 2: the job's outcome",
                "  sent       2026-05-01T12:00:00Z (offset " + sent.get(3).offset() + ")",
                "  journal    finished SUCCEEDED at 2026-05-01T12:01:20Z, generation gen-" + id + "-2",
                "  result     SUCCEEDED, 21 tokens, 1 attempt, generation gen-" + id + "-2, by " + WORKER + " (offset 2)",
                "  video      https://cdn.example/" + id + ".mp4",
                "  timings    enqueued 2026-05-01T12:00:00Z, started +0s, submitted +1s, completed +1m 20s",
                "  set aside  SUCCEEDED generation gen-" + id + "-2 by " + WORKER + " (offset 1): the same result published again");
        assertThat(status.out()).doesNotContain("basil");
    }

    @Test
    void aJobAtGivonShowsItsGenerationAndNoResultYet(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, List.of(job("render-7", 1, T0)));
        journal(kafka, topics, "render-7", List.of(new JournalEntry.Submitting("render-7", T0.plusSeconds(1), 1),
                new JournalEntry.Accepted("render-7", T0.plusSeconds(2), 1, "gen_01JEXAMPLE7Q", T0.plusSeconds(1))));
        MotionJob render = decoded(job("render-7", 1, T0));
        ProgressCodec progress = new ProgressCodec();
        kafka.produce(List.of(ProgressEvent.admitted(render, T0, WORKER), ProgressEvent.submitted(render, T0.plusSeconds(2), WORKER,
                        "gen_01JEXAMPLE7Q", 1)).stream()
                .map(event -> new ProducerRecord<>(topics.progress(), event.jobId(), new String(progress.encode(event), StandardCharsets.UTF_8)))
                .toList());

        CliRun.Result status = CliRun.run("status", "render-7", "--config", topics.config().toString());

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains(
                "  outcome    none yet: run 1 has no result yet\n",
                "Run 1\n  sent       2026-05-01T10:00:00Z (offset 0)\n"
                        + "  journal    at Givon since 2026-05-01T10:00:01Z generation gen_01JEXAMPLE7Q (attempt 1)\n"
                        + "  progress   2026-05-01T10:00:00Z ADMITTED: queued for its budget and a slot (by " + WORKER + ")\n"
                        + "             2026-05-01T10:00:02Z SUBMITTED: generation gen_01JEXAMPLE7Q (attempt 1) (by " + WORKER + ")\n"
                        + "  result     none yet\n");
        assertThat(status.out()).doesNotContain("the job's outcome");
    }

    @Test
    void anUnknownJobExits1SayingWhereItLooked(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, List.of(job("known", 1, T0)));

        CliRun.Result status = CliRun.run("status", "nope", "--config", topics.config().toString());

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(status.out()).isEmpty();
        assertThat(status.err()).isEqualTo("troupe status: no job nope on " + topics.jobs() + " or " + topics.results() + "\n");
    }

    @Test
    void thousandsOfRepeatsListTheFirstAndCountTheRest(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            jobs.add(job("echo", 1, T0.plusSeconds(i)));
        }
        sendJobs(kafka, topics, jobs);
        JobResult once = result("echo", JobStatus.SUCCEEDED, 1, T0);
        sendResults(kafka, topics, java.util.Collections.nCopies(1_000, once));

        CliRun.Result status = CliRun.run("status", "echo", "--config", topics.config().toString());

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("  sent again 2026-05-01T10:00:09Z (offset 9): the same run, run once\n"
                        + "             ... and 990 more records of this run\n")
                .contains("             ... and 989 more results set aside\n");
        assertThat(status.out().lines().filter(l -> l.startsWith("  set aside"))).hasSize(10);
        assertThat(status.out().lines().count()).isLessThan(40);
    }

    @Test
    void jsonIsOneDocumentThatMatchesTheJobStatusSchema(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        sendJobs(kafka, topics, List.of(job("j:1", 1, T0), job("j:1", 2, T0.plusSeconds(100))));
        sendResults(kafka, topics, List.of(result("j:1", JobStatus.FAILED, 1, T0)));
        journal(kafka, topics, "j:1", List.of(new JournalEntry.Accepted("j:1#2", T0.plusSeconds(101), 1, "gen_2", T0.plusSeconds(101))));

        CliRun.Result status = CliRun.run("status", "j:1", "--format", "json", "--config", topics.config().toString());

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out().lines()).hasSize(1);
        assertThat(JobStatusSchema.errors(status.out())).isEmpty();
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.out());
        assertThat(doc.get("schema").asText()).isEqualTo("troupe.job-status/v1");
        assertThat(doc.at("/outcome/run").asInt()).isEqualTo(1);
        assertThat(doc.at("/runs/0/result/worker").asText()).isEqualTo(WORKER);
        assertThat(doc.at("/runs/0/result/costTokens").isNumber()).isTrue();
        assertThat(doc.at("/runs/1/journal/kind").asText()).isEqualTo("ACCEPTED");
        assertThat(doc.at("/runs/1/journal/generationId").asText()).isEqualTo("gen_2");
        assertThat(doc.at("/runs/1/result").isNull()).isTrue();
    }

    // ---- helpers

    private static int partition(String jobId, int partitions) {
        return TopicScan.partitionOf(jobId.getBytes(StandardCharsets.UTF_8), partitions);
    }

    private MotionJob decoded(String line) {
        return ((DecodeResult.Decoded) codec.decode(line.substring(line.indexOf('|') + 1).getBytes(StandardCharsets.UTF_8))).job();
    }

    private static String job(String jobId, int run, Instant at) {
        String[] parts = jobId.split(":");
        String metadata = parts.length == 4 ? "{\"character\":\"" + parts[1] + "\",\"motion\":\"" + parts[2] + "\"}" : "{}";
        return at.toEpochMilli() + "|" + "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"batchId\":\"" + parts[0]
                + "\",\"run\":" + run + ",\"tenant\":\"studio-a\",\"metadata\":" + metadata
                + ",\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}";
    }

    private static JobResult result(String jobId, JobStatus status, int run, Instant enqueued) {
        return new JobResult(jobId, jobId.split(":")[0], "studio-a", status, "gen-" + jobId + "-" + run,
                status == JobStatus.SUCCEEDED ? "https://cdn.example/" + jobId + ".mp4" : null, Tokens.of(21), 1,
                status == JobStatus.SUCCEEDED ? null : JobResult.Error.of("GENERATION_FAILED", "the generation failed", false),
                new JobResult.Timings(enqueued, enqueued, enqueued.plusSeconds(1), enqueued.plusSeconds(80)), Map.of(), run, WORKER);
    }

    /** Each "millis|json" as a record keyed by its jobId with that timestamp, partitioned by the default partitioner. */
    private static List<RecordMetadata> sendJobs(KafkaCluster kafka, TestTopics topics, List<String> jobs) {
        return kafka.produce(jobs.stream().map(line -> {
            String json = line.substring(line.indexOf('|') + 1);
            return new ProducerRecord<>(topics.jobs(), null, Long.parseLong(line.substring(0, line.indexOf('|'))),
                    json.replaceAll(".*\"jobId\":\"([^\"]+)\".*", "$1"), json);
        }).toList());
    }

    private void sendResults(KafkaCluster kafka, TestTopics topics, List<JobResult> results) {
        kafka.produce(results.stream().map(r -> new ProducerRecord<>(topics.results(), r.jobId(),
                new String(codec.encodeResult(r), StandardCharsets.UTF_8))).toList());
    }

    /** As the worker writes them: to the state partition numbered as the job's jobs partition, keyed by the run's key. */
    private void journal(KafkaCluster kafka, TestTopics topics, String jobId, List<JournalEntry> entries) {
        int p = partition(jobId, 3);
        kafka.produce(entries.stream().map(e -> new ProducerRecord<>(topics.state(), p, e.jobId(),
                new String(journal.encode(e), StandardCharsets.UTF_8))).toList());
    }
}
