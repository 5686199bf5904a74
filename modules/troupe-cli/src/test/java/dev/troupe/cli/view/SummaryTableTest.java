package dev.troupe.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    @Test
    void aLargeBatchShowsTheFirstFailuresAndCountsTheRest() {
        List<JobResult> results = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            results.add(result(String.format("b:%03d", i), "c" + (i % 30), JobStatus.FAILED));
        }
        for (int i = 47; i < 100; i++) {
            results.add(result(String.format("b:%03d", i), "c" + (i % 30), JobStatus.SUCCEEDED));
        }

        String summary = SummaryTable.render(results);

        assertThat(summary).contains("  Jobs that did not succeed (first 10 of 47):")
                .contains("b:009").doesNotContain("b:010")
                .contains("    ... and 37 more" + System.lineSeparator())
                .contains("    ... and 10 more characters" + System.lineSeparator());
        assertThat(summary.lines().count()).isLessThan(60);
    }

    @Test
    void aSmallBatchIsShownWhole() {
        String summary = SummaryTable.render(List.of(result("b:1", "ada", JobStatus.FAILED), result("b:2", "ada", JobStatus.SUCCEEDED)));

        assertThat(summary).contains("  Jobs that did not succeed:").doesNotContain("... and");
    }

    @Test
    void aReasonStaysOnOneShortLine() {
        JobResult failed = result("b:1", "ada", JobStatus.FAILED);
        JobResult odd = new JobResult(failed.jobId(), failed.batchId(), failed.tenant(), failed.status(), null, null, failed.costTokens(),
                1, JobResult.Error.of("GENERATION_FAILED", "line one\nline two " + "x".repeat(500), false), failed.timings(),
                failed.metadata());

        String line = SummaryTable.render(List.of(odd)).lines().filter(l -> l.contains("GENERATION_FAILED")).findFirst().orElseThrow();

        assertThat(line).contains("line one?line two").hasSizeLessThan(SummaryTable.REASON_CHARS + 40);
    }

    private static JobResult result(String jobId, String character, JobStatus status) {
        Instant start = Instant.parse("2025-05-01T10:00:00Z");
        return new JobResult(jobId, "b", "studio-a", status, "gen-" + jobId, status == JobStatus.SUCCEEDED ? "https://cdn.example/v.mp4" : null,
                Tokens.of(35), 1, status == JobStatus.SUCCEEDED ? null : JobResult.Error.of("GENERATION_FAILED", "the generation failed", false),
                new JobResult.Timings(start, start, start.plusSeconds(1), start.plusSeconds(80)), Map.of("character", character));
    }
}
