package dev.troupe.client.results;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.Map;

/** Results as a worker would publish them. */
final class Results {

    static final Instant START = Instant.parse("2025-05-01T10:00:00Z");

    private Results() {
    }

    static JobResult succeeded(String jobId, String batchId, long tokens) {
        return new JobResult(jobId, batchId, "studio-a", JobStatus.SUCCEEDED, "gen-" + jobId,
                "https://cdn.example/" + jobId + ".mp4", Tokens.of(tokens), 1, null,
                new JobResult.Timings(START, START.plusSeconds(1), START.plusSeconds(2), START.plusSeconds(90)),
                Map.of("character", "ada", "note", "says \"hi\", twice"));
    }

    static JobResult failed(String jobId, String batchId) {
        return new JobResult(jobId, batchId, "studio-a", JobStatus.FAILED, "gen-" + jobId, null, Tokens.parse("35.5"), 1,
                JobResult.Error.of("GENERATION_FAILED", "no person detected,\nin the photo", false),
                new JobResult.Timings(START, START.plusSeconds(1), START.plusSeconds(2), START.plusSeconds(60)),
                Map.of("character", "basil"));
    }
}
