package dev.troupe.client.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.GenerationInput;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch's jobs, each counted once where its latest run is, from progress events and results. */
class BatchStatesTest {

    private static final Instant AT = Instant.parse("2026-12-03T09:00:00Z");
    private static final String WORKER = "workers-1-7f3a9c01";

    private static MotionJob job(String jobId, String tenant, int run) {
        return new MotionJob(jobId, "b", tenant, 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL, new GenerationInput(Map.of("prompt", "p")), run);
    }

    @Test
    void eachJobIsCountedOnceByItsLatestEventOfTheRunAwaited() {
        BatchStates states = new BatchStates("b", Map.of("a", 1, "b", 1, "c", 2, "d", 1, "e", 1, "f", 1));
        states.accept(ProgressEvent.admitted(job("a", "studio-a", 1), AT, WORKER));
        states.accept(ProgressEvent.parked(job("a", "studio-a", 1), AT, WORKER, Instant.parse("2026-12-03T11:00:00Z"), "BUDGET_EXHAUSTED"));
        states.accept(ProgressEvent.parked(job("b", "studio-a", 1), AT, WORKER, Instant.parse("2026-12-03T10:00:00Z"), "BUDGET_EXHAUSTED"));
        // c: run 1 finished, run 2 (the one awaited) submitted
        states.accept(ProgressEvent.finished(job("c", null, 1), AT, WORKER, JobStatus.FAILED));
        states.accept(ProgressEvent.submitted(job("c", null, 2), AT, WORKER, "gen_2", 1));
        // d: an older event read after a newer one does not move it back
        states.accept(ProgressEvent.submitted(job("d", null, 1), AT.plusSeconds(5), WORKER, "gen_d", 1));
        states.accept(ProgressEvent.admitted(job("d", null, 1), AT, WORKER));
        states.accept(ProgressEvent.held(job("e", "studio-b", 1), AT, WORKER, ProgressEvent.PAUSED));
        // f: no event, but its result
        states.accept(new JobResult("f", "b", null, JobStatus.SUCCEEDED, "gen_f", null, Tokens.of(21), 1, null, null, null));
        states.accept(ProgressEvent.admitted(new MotionJob("x", "other", null, 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL,
                new GenerationInput(Map.of("prompt", "p"))), AT, WORKER));

        JobStates now = states.states();

        assertThat(now).isEqualTo(new JobStates(0, 2, Map.of("studio-a", Instant.parse("2026-12-03T10:00:00Z")), 1, 2, 1));
        assertThat(now.text(AT)).isEqualTo("queued 0, parked 2 (budget studio-a until 10:00Z), held 1 (paused), at Givon 2, finished 1");
        assertThat(now.text(AT.plusSeconds(86_400))).contains("(budget studio-a until 2026-12-03 10:00Z)");
        assertThat(new BatchStates("b", Map.of("a", 1)).states().text(AT)).isEqualTo("queued 1, parked 0, at Givon 0, finished 0");
    }
}
