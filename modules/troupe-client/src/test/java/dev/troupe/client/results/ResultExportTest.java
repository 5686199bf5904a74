package dev.troupe.client.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultExportTest {

    private final JobCodec codec = JobCodec.defaults();
    private final List<JobResult> results = List.of(Results.succeeded("b:1", "b", 35), Results.failed("b:2", "b"));

    @TempDir
    Path dir;

    @Test
    void jsonLinesHoldEachResultExactlyAsOnTheTopic() throws IOException {
        Path file = dir.resolve("out/results.jsonl");

        ResultExport.write(file, ExportFormat.JSONL, results, codec);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.stream().map(line -> codec.decodeResult(line.getBytes(StandardCharsets.UTF_8))))
                .containsExactlyElementsOf(results);
    }

    @Test
    void csvHasAHeaderAndQuotesWhatNeedsQuoting() throws IOException {
        Path file = dir.resolve("results.csv");

        ResultExport.write(file, ExportFormat.CSV, results, codec);

        String csv = Files.readString(file);
        assertThat(csv.split("\r\n", -1)).containsExactly(
                "jobId,batchId,tenant,status,videoUrl,costTokens,attempts,generationId,errorCode,errorMessage,"
                        + "enqueuedAt,startedAt,submittedAt,completedAt,metadata.character,metadata.note",
                "b:1,b,studio-a,SUCCEEDED,https://cdn.example/b:1.mp4,35,1,gen-b:1,,,2025-05-01T10:00:00Z,"
                        + "2025-05-01T10:00:01Z,2025-05-01T10:00:02Z,2025-05-01T10:01:30Z,ada,\"says \"\"hi\"\", twice\"",
                "b:2,b,studio-a,FAILED,,35.5,1,gen-b:2,GENERATION_FAILED,\"no person detected,\nin the photo\","
                        + "2025-05-01T10:00:00Z,2025-05-01T10:00:01Z,2025-05-01T10:00:02Z,2025-05-01T10:01:00Z,basil,",
                "");
    }

    @Test
    void theFormatFollowsTheFileExtension() {
        assertThat(ExportFormat.of(Path.of("a.CSV"))).contains(ExportFormat.CSV);
        assertThat(ExportFormat.of(Path.of("a.jsonl"))).contains(ExportFormat.JSONL);
        assertThat(ExportFormat.of(Path.of("a.txt"))).isEmpty();
    }
}
