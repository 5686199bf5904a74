package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResultCodecTest {

    private final JobCodec codec = JobCodec.defaults();

    private static final JobResult.Timings TIMINGS = new JobResult.Timings(
            Instant.parse("2026-11-24T19:00:00Z"), Instant.parse("2026-11-24T19:00:01.5Z"),
            Instant.parse("2026-11-24T19:00:02Z"), Instant.parse("2026-11-24T19:02:10.123456789Z"));

    private static final JobResult SUCCEEDED = new JobResult("job-1", "night-7", "studio", JobStatus.SUCCEEDED,
            "gen_123", "https://cdn.example.com/out.mp4", Tokens.of(21), 1, null, TIMINGS, Map.of("dance", "salsa"));

    private static final JobResult REJECTED = new JobResult("job-2", null, null, JobStatus.REJECTED, null, null,
            Tokens.ZERO, 0, new JobResult.Error("INVALID_JOB", "2 violations", false, List.of(
                    Violation.of("input.duration", "range 3..15", 16, "duration must be within 3..15, got 16"),
                    Violation.of("input.prompt", "required", null, "prompt is required"))),
            null, null);

    private JsonNode wire(JobResult result) {
        return Fixtures.json(new String(codec.encodeResult(result), StandardCharsets.UTF_8));
    }

    @Test
    void emojiInMetadataAreWrittenAsTheirFourBytesNotAsEscapes() {
        String dancing = "💃".repeat(2_048);
        JobResult result = new JobResult("job-3", null, null, JobStatus.SUCCEEDED, "gen_1", null, Tokens.of(21), 1, null,
                TIMINGS, Map.of("mood", dancing));

        byte[] wire = codec.encodeResult(result);

        assertThat(wire.length).isLessThan(dancing.getBytes(StandardCharsets.UTF_8).length + 500);
        assertThat(codec.decodeResult(wire).metadata()).containsEntry("mood", dancing);
    }

    @Test
    void aSucceededResultRoundTrips() {
        assertThat(codec.decodeResult(codec.encodeResult(SUCCEEDED))).isEqualTo(SUCCEEDED);
    }

    @Test
    void theWorkerThatPublishedAResultRoundTripsAndIsAbsentWhenNoneIsNamed() {
        JobResult named = SUCCEEDED.publishedBy(JobResult.workerName("troupe-workers-7f3a9c01"));

        assertThat(codec.decodeResult(codec.encodeResult(named))).isEqualTo(named);
        assertThat(codec.decodeResult(codec.encodeResult(named)).worker()).isEqualTo("troupe-workers-7f3a9c01");
        assertThat(wire(named).get("worker").asText()).isEqualTo("troupe-workers-7f3a9c01");
        assertThat(wire(SUCCEEDED).has("worker")).isFalse();
        assertThat(codec.decodeResult(codec.encodeResult(SUCCEEDED)).worker()).isNull();
    }

    @Test
    void aWorkerNameIsMadeSafeAndBoundedAndAResultNamingAnUnsafeOneIsRefused() {
        assertThat(JobResult.workerName("render farm/1-7f3a9c01")).isEqualTo("render_farm_1-7f3a9c01");
        assertThat(JobResult.workerName("é-1")).isEqualTo("_-1");
        assertThat(JobResult.workerName("")).isNull();
        String longName = JobResult.workerName("g".repeat(300) + "-7f3a9c01");
        assertThat(longName).hasSize(JobResult.MAX_WORKER_CHARS).startsWith("g".repeat(111) + "~")
                .isNotEqualTo(JobResult.workerName("g".repeat(300) + "-00000000"));
        assertThat(longName).isEqualTo(JobResult.workerName("g".repeat(300) + "-7f3a9c01"));

        assertThatThrownBy(() -> SUCCEEDED.publishedBy("has space")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker must be 1 to 128");
        String unsafe = new String(codec.encodeResult(SUCCEEDED), StandardCharsets.UTF_8)
                .replace("\"metadata\"", "\"worker\":\"w\\u001b[2J\",\"metadata\"");
        assertThatThrownBy(() -> codec.decodeResult(unsafe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job result worker must be 1 to 128");
    }

    @Test
    void aRejectedResultRoundTripsWithItsViolations() {
        assertThat(codec.decodeResult(codec.encodeResult(REJECTED))).isEqualTo(REJECTED);
    }

    @Test
    void theWireFormHasExactTokensIsoInstantsAndNoNulls() {
        JsonNode json = wire(SUCCEEDED);

        assertThat(json.get("schema").textValue()).isEqualTo("troupe.job-result/v1");
        assertThat(json.get("costTokens").isTextual()).isTrue();
        assertThat(json.get("costTokens").textValue()).isEqualTo("21");
        assertThat(json.get("status").textValue()).isEqualTo("SUCCEEDED");
        assertThat(json.get("timings").get("completedAt").textValue()).isEqualTo("2026-11-24T19:02:10.123456789Z");
        assertThat(json.has("error")).isFalse();

        JsonNode rejected = wire(REJECTED);
        assertThat(rejected.has("batchId")).isFalse();
        assertThat(rejected.has("generationId")).isFalse();
        assertThat(rejected.has("timings")).isFalse();
        assertThat(rejected.get("error").get("violations").get(1).has("value")).isFalse();
        assertThat(rejected.get("error").get("violations").get(0).get("value").textValue()).isEqualTo("16");
    }

    @Test
    void fractionalCostsAreWrittenAsExactDecimals() {
        JobResult result = new JobResult("job-3", null, null, JobStatus.FAILED, "g", null, Tokens.parse("38.5"), 3,
                JobResult.Error.of("GENERATION_FAILED", "moderated", false), null, null);

        assertThat(wire(result).get("costTokens").textValue()).isEqualTo("38.5");
        assertThat(codec.decodeResult(codec.encodeResult(result))).isEqualTo(result);
    }

    @Test
    void unknownFieldsAreToleratedAndAbsentOnesTakeDefaults() {
        String json = """
                {"schema":"troupe.job-result/v1","jobId":"j","status":"EXPIRED","workerVersion":"2.0",
                 "error":{"code":"EXPIRED","hint":"later"}}""";

        JobResult result = codec.decodeResult(json.getBytes(StandardCharsets.UTF_8));

        assertThat(result.status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(result.costTokens()).isEqualTo(Tokens.ZERO);
        assertThat(result.attempts()).isZero();
        assertThat(result.timings()).isEqualTo(JobResult.Timings.NONE);
        assertThat(result.metadata()).isEmpty();
        assertThat(result.error()).isEqualTo(new JobResult.Error("EXPIRED", null, false, List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                                                  | not JSON",
            "[1]                                                                       | must be a JSON object",
            "{\"jobId\":\"j\",\"status\":\"FAILED\"}                                   | has no schema",
            "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"j\",\"status\":\"FAILED\"} | schema must be \"troupe.job-result/v1\"",
            "{\"schema\":\"troupe.job-result/v1\",\"status\":\"FAILED\"}               | has no jobId",
            "{\"schema\":\"troupe.job-result/v1\",\"jobId\":\"j\",\"status\":\"LOST\"}  | status must be one of [SUCCEEDED, FAILED, REJECTED, EXPIRED, CANCELLED]",
            "{\"schema\":\"troupe.job-result/v1\",\"jobId\":\"j\",\"status\":\"FAILED\",\"costTokens\":21} | costTokens must be a string",
            "{\"schema\":\"troupe.job-result/v1\",\"jobId\":\"j\",\"status\":\"FAILED\",\"costTokens\":\"1.0001\"} | more than 3 decimals",
            "{\"schema\":\"troupe.job-result/v1\",\"jobId\":\"j\",\"status\":\"FAILED\",\"attempts\":\"1\"} | attempts must be an integer",
            "{\"schema\":\"troupe.job-result/v1\",\"jobId\":\"j\",\"status\":\"FAILED\",\"timings\":{\"startedAt\":\"noon\"}} | timings.startedAt must be an ISO-8601 instant",
            "{\"schema\":\"troupe.job-result/v1\",\"jobId\":\"j\",\"status\":\"FAILED\",\"error\":{\"message\":\"x\"}} | has no code",
            "{\"schema\":\"troupe.job-result/v1\",\"jobId\":\"j\",\"status\":\"FAILED\",\"metadata\":{\"a\":1}} | metadata.a must be a string",
    })
    void badResultsAreRefusedWithAClearMessage(String json, String expected) {
        assertThatThrownBy(() -> codec.decodeResult(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void emptyResultBytesAreRefused() {
        assertThatThrownBy(() -> codec.decodeResult(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> codec.decodeResult(new byte[] {(byte) 0xff})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not UTF-8");
    }
}
