package dev.troupe.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.client.status.JobStory;
import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.RecordSchema;
import dev.troupe.model.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code troupe status --format json} against its schema, for every journal kind and the edges of a story. */
class StatusJsonTest {

    private static final Instant AT = Instant.parse("2026-05-01T10:00:00Z");
    private static final JobStory.Where JOBS = new JobStory.Where("troupe.jobs", 1);
    private static final JobStory.Where RESULTS = new JobStory.Where("troupe.results", 0);
    private static final JobStory.Where STATE = new JobStory.Where("troupe.state", 1);

    private final MotionJob job = ((DecodeResult.Decoded) JobCodec.defaults().decode(("{\"schema\":\"troupe.motion-job/v1\","
            + "\"jobId\":\"spring:ada:salsa:stage\",\"batchId\":\"spring\",\"tenant\":\"studio-a\",\"metadata\":{\"character\":\"ada\"},"
            + "\"input\":{\"prompt\":\"Ada dances salsa\",\"duration\":5,\"referencePhoto\":\"https://assets.troupe.example/a.png\","
            + "\"motionVideo\":\"https://assets.troupe.example/m.mp4\"}}").getBytes(StandardCharsets.UTF_8))).job();

    @Test
    void everyStoryMatchesTheJobStatusSchema() {
        assertThat(StatusJson.SCHEMA).isEqualTo(RecordSchema.JOB_STATUS.schemaId());
        JobResult failed = result(JobStatus.FAILED, 1, null);
        JobResult succeeded = result(JobStatus.SUCCEEDED, 2, "workers-1a2b3c4d")
                .withCancelRequested(new JobResult.CancelRequest("batch:spring", AT, "wrong clip"));
        List<JobStory.Sent> sent = List.of(new JobStory.Sent(4, AT, true, null), new JobStory.Sent(9, AT, false, "1 invalid field(s)"));
        List<JobStory> stories = List.of(
                new JobStory(job.jobId(), AT, JOBS, RESULTS, STATE, null, null, job, Tokens.of(35), List.of(
                        run(1, sent, new JournalEntry.Finished(job.jobId(), AT, JobStatus.FAILED, "gen_1", Tokens.of(35), 2), failed),
                        new JobStory.Run(2, sent, 3, new JournalEntry.Accepted(job.jobId() + "#2", AT, 1, "gen_2", AT),
                                new JobStory.Placed(7, succeeded), List.of(new JobStory.Placed(6, succeeded), new JobStory.Placed(5, failed)), 12,
                                progressOfARun(job), 4),
                        run(3, sent, new JournalEntry.Submitting(job.jobId() + "#3", AT, 1), null),
                        run(4, List.of(), new JournalEntry.Parked(job.jobId() + "#4", AT, AT.plusSeconds(3600), job, AT, Tokens.parse("35.5")), null),
                        run(5, List.of(), null, null)), 7, 2),
                new JobStory("gone", AT, JOBS, RESULTS, null, "the journal is off (journal.enabled: false)",
                        "troupe.progress does not exist (an installation older than progress events)", null, null,
                        List.of(run(1, List.of(), null, failed)), 0, 0),
                new JobStory("queued", AT, JOBS, RESULTS, STATE, null, null, job, null, List.of(run(1, sent, null, null)), 0, 0));

        for (JobStory story : stories) {
            String text = StatusJson.render(story);

            assertThat(text).doesNotContain("\n");
            assertThat(JobStatusSchema.errors(text)).as(text).isEmpty();
        }
    }

    @Test
    void fieldsAreTheDocumentedOnesTokensExactNumbersAndAFieldTheSchemaDoesNotListFails() throws Exception {
        JobResult succeeded = result(JobStatus.SUCCEEDED, 1, "workers-1a2b3c4d")
                .withCancelRequested(new JobResult.CancelRequest("batch:spring", AT, null));
        JobStory story = new JobStory(job.jobId(), AT, JOBS, RESULTS, STATE, null, null, job, Tokens.parse("35.5"),
                List.of(new JobStory.Run(1, List.of(new JobStory.Sent(0, AT, true, null)), 0, null, new JobStory.Placed(3, succeeded),
                        List.of(new JobStory.Placed(2, succeeded)), 0, progressOfARun(job), 0)), 0, 0);
        String text = StatusJson.render(story);

        JsonNode doc = new ObjectMapper().readTree(text);
        assertThat(doc.at("/job/estimatedTokens").decimalValue()).isEqualByComparingTo("35.5");
        assertThat(doc.at("/job/duration").asInt()).isEqualTo(5);
        assertThat(doc.at("/outcome/run").asInt()).isEqualTo(1);
        assertThat(doc.at("/runs/0/outcome").asBoolean()).isTrue();
        assertThat(doc.at("/runs/0/setAside/0/repeat").asBoolean()).isTrue();
        assertThat(doc.at("/runs/0/result").has("repeat")).isFalse();
        assertThat(doc.at("/runs/0/result/worker").asText()).isEqualTo("workers-1a2b3c4d");
        assertThat(doc.at("/runs/0/result/cancelRequested/target").asText()).isEqualTo("batch:spring");
        assertThat(doc.at("/runs/0/setAside/0/cancelRequested/reason").isNull()).isTrue();
        assertThat(doc.at("/topics/state/partition").asInt()).isEqualTo(1);
        assertThat(doc.at("/progressNote").isNull()).isTrue();
        assertThat(doc.at("/runs/0/progress")).extracting(event -> event.get("kind").asText())
                .containsExactly("ADMITTED", "PARKED", "ADMITTED", "RETRYING", "SUBMITTED", "FINISHED");
        assertThat(doc.at("/runs/0/progress/1/reason").asText()).isEqualTo(ProgressEvent.BUDGET_EXHAUSTED);
        assertThat(doc.at("/runs/0/progress/4/generationId").asText()).isEqualTo("gen_1");

        String shown = StatusText.render(story);
        assertThat(shown).contains("progress   2026-05-01T10:00:00Z ADMITTED: queued for its budget and a slot (by workers-1a2b3c4d)")
                .contains("PARKED until 2026-05-02T00:00:00Z: BUDGET_EXHAUSTED")
                .contains("RETRYING: attempt 1 failed (TRANSIENT 5xx), again at 2026-05-02T00:00:11Z")
                .contains("SUBMITTED: generation gen_1 (attempt 2)")
                .contains("FINISHED SUCCEEDED")
                .contains("cancel     troupe cancel of batch:spring at 2026-05-01T10:00:00Z came while Givon ran the generation");
        JobStory.Run many = new JobStory.Run(1, List.of(), 0, null, null, List.of(), 0, progressOfARun(job), 44);
        assertThat(StatusText.render(new JobStory(job.jobId(), AT, JOBS, RESULTS, STATE, null, null, job, null, List.of(many), 0, 0)))
                .contains("progress   (44 earlier events not shown: the latest " + JobStory.MAX_PROGRESS + " follow)");

        JsonObject extra = new JsonObject(text);
        extra.getJsonArray("runs").getJsonObject(0).getJsonObject("result").put("tokens", 1);
        assertThat(JobStatusSchema.errors(extra.encode())).as("a field the schema does not list").isNotEmpty();
        JsonObject extraAside = new JsonObject(text);
        extraAside.getJsonArray("runs").getJsonObject(0).getJsonArray("setAside").getJsonObject(0).put("tokens", 1);
        assertThat(JobStatusSchema.errors(extraAside.encode())).as("nor in a result set aside").isNotEmpty();
    }

    /** Parked on a spent budget overnight, a 5xx on the first submission, then done. */
    private static List<ProgressEvent> progressOfARun(MotionJob job) {
        String worker = "workers-1a2b3c4d";
        Instant midnight = Instant.parse("2026-05-02T00:00:00Z");
        return List.of(ProgressEvent.admitted(job, AT, worker),
                ProgressEvent.parked(job, AT.plusSeconds(1), worker, midnight, ProgressEvent.BUDGET_EXHAUSTED),
                ProgressEvent.admitted(job, midnight, worker),
                ProgressEvent.retrying(job, midnight.plusSeconds(1), worker, 1, "TRANSIENT 5xx", midnight.plusSeconds(11)),
                ProgressEvent.submitted(job, midnight.plusSeconds(12), worker, "gen_1", 2),
                ProgressEvent.finished(job, midnight.plusSeconds(100), worker, JobStatus.SUCCEEDED));
    }

    private static JobStory.Run run(int run, List<JobStory.Sent> sent, JournalEntry entry, JobResult result) {
        return new JobStory.Run(run, sent, 0, entry, result == null ? null : new JobStory.Placed(run, result), List.of(), 0, List.of(), 0);
    }

    private JobResult result(JobStatus status, int run, String worker) {
        return new JobResult(job.jobId(), "spring", "studio-a", status, "gen_" + run, status == JobStatus.SUCCEEDED ? "https://v.example/1.mp4" : null,
                Tokens.of(35), 1, status == JobStatus.SUCCEEDED ? null : JobResult.Error.of("GENERATION_FAILED", "failed\nbadly", false),
                new JobResult.Timings(AT, null, null, AT.plusSeconds(90)), Map.of(), run, worker);
    }
}
