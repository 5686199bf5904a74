package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JournalCodecTest {

    private static final Instant AT = Instant.parse("2026-12-02T10:15:30.123456789Z");
    private final JobCodec jobs = JobCodec.defaults();
    private final JournalCodec codec = new JournalCodec(jobs);

    private static MotionJob job(String jobId) {
        DecodeResult decoded = JobCodec.defaults().decode(Fixtures.bytes(Fixtures.validJob().put("jobId", jobId)));
        return ((DecodeResult.Decoded) decoded).job();
    }

    private ObjectNode written(JournalEntry entry) {
        return (ObjectNode) Fixtures.json(new String(codec.encode(entry), StandardCharsets.UTF_8));
    }

    private JournalDecodeResult.Unreadable unreadable(byte[] bytes) {
        JournalDecodeResult result = codec.decode(bytes);
        assertThat(result).isInstanceOf(JournalDecodeResult.Unreadable.class);
        return (JournalDecodeResult.Unreadable) result;
    }

    private JournalDecodeResult.Unreadable unreadable(JsonNode node) {
        return unreadable(Fixtures.bytes(node));
    }

    private ObjectNode submitting() {
        return written(new JournalEntry.Submitting("job-1", AT, 2));
    }

    @Test
    void eachKindIsWrittenWithItsFieldsAndNoNulls() {
        assertThat(new String(codec.encode(new JournalEntry.Submitting("job-1", AT, 2)), StandardCharsets.UTF_8))
                .isEqualTo("{\"schema\":\"troupe.journal/v1\",\"kind\":\"SUBMITTING\",\"jobId\":\"job-1\","
                        + "\"at\":\"2026-12-02T10:15:30.123456789Z\",\"attempt\":2}");
        assertThat(written(new JournalEntry.Accepted("job-1", AT, 1, "gen_1_44izyv7n", null)))
                .isEqualTo(Fixtures.json("{\"schema\":\"troupe.journal/v1\",\"kind\":\"ACCEPTED\",\"jobId\":\"job-1\","
                        + "\"at\":\"2026-12-02T10:15:30.123456789Z\",\"attempt\":1,\"generationId\":\"gen_1_44izyv7n\"}"));
        assertThat(written(new JournalEntry.Finished("job-1", AT, JobStatus.SUCCEEDED, "gen-9", Tokens.parse("5.5"), 3)))
                .isEqualTo(Fixtures.json("{\"schema\":\"troupe.journal/v1\",\"kind\":\"FINISHED\",\"jobId\":\"job-1\","
                        + "\"at\":\"2026-12-02T10:15:30.123456789Z\",\"status\":\"SUCCEEDED\",\"generationId\":\"gen-9\","
                        + "\"costTokens\":\"5.5\",\"attempts\":3}"));
    }

    @Test
    void aParkedJobIsTheObjectTheJobCodecWrites() {
        MotionJob job = job("job-1");
        ObjectNode entry = written(new JournalEntry.Parked("job-1", AT, AT.plusSeconds(60), job, AT.minusSeconds(5), Tokens.of(21)));

        assertThat(entry.get("job")).isEqualTo(Fixtures.json(new String(jobs.encode(job), StandardCharsets.UTF_8)));
        assertThat(entry.get("resumesAt").textValue()).isEqualTo("2026-12-02T10:16:30.123456789Z");
        assertThat(entry.get("enqueuedAt").textValue()).isEqualTo("2026-12-02T10:15:25.123456789Z");
        assertThat(entry.get("costTokens").textValue()).isEqualTo("21");
    }

    @Test
    void aResumedJobTravelsInItsSubmittingAndAcceptedEntries() {
        MotionJob job = job("job-1");
        JournalEntry submitting = new JournalEntry.Submitting("job-1", AT, 1, job, AT.minusSeconds(5));
        JournalEntry accepted = new JournalEntry.Accepted("job-1", AT, 1, "gen-1", AT, job, null);

        assertThat(written(submitting).get("job")).isEqualTo(Fixtures.json(new String(jobs.encode(job), StandardCharsets.UTF_8)));
        assertThat(written(submitting).get("enqueuedAt").textValue()).isEqualTo("2026-12-02T10:15:25.123456789Z");
        assertThat(codec.decode(codec.encode(submitting))).isEqualTo(new JournalDecodeResult.Decoded(submitting));
        assertThat(codec.decode(codec.encode(accepted))).isEqualTo(new JournalDecodeResult.Decoded(accepted));
        assertThat(written(new JournalEntry.Submitting("job-1", AT, 1)).has("job")).isFalse();
        assertThatThrownBy(() -> codec.encode(new JournalEntry.Submitting("job-1", AT, 1, job("job-2"), null)))
                .hasMessageContaining("job.jobId");
    }

    @Test
    void everyKindReadsBackAsItself() {
        JournalEntry[] entries = {
            new JournalEntry.Submitting("job-1", AT, 1),
            new JournalEntry.Accepted("job-1", AT, 1000, "g".repeat(256), AT.minusMillis(3)),
            new JournalEntry.Parked("job-1", AT, AT.plusSeconds(60), job("job-1"), null, Tokens.of(21)),
            new JournalEntry.Finished("job-1", AT, JobStatus.REJECTED, null, Tokens.ZERO, 0),
        };
        for (JournalEntry entry : entries) {
            assertThat(codec.decode(codec.encode(entry))).isEqualTo(new JournalDecodeResult.Decoded(entry));
        }
    }

    @Test
    void unknownFieldsAreTolerated() {
        ObjectNode entry = submitting();
        entry.put("writtenBy", "worker-7").putObject("later").put("x", 1);

        assertThat(codec.decode(Fixtures.bytes(entry)))
                .isEqualTo(new JournalDecodeResult.Decoded(new JournalEntry.Submitting("job-1", AT, 2)));
    }

    @ParameterizedTest
    @CsvSource({
        "schema, schema, required",
        "kind, kind, required",
        "jobId, jobId, required",
        "at, at, required",
        "attempt, attempt, required",
    })
    void aMissingRequiredFieldIsNamed(String removed, String field, String rule) {
        ObjectNode entry = submitting();
        entry.remove(removed);

        JournalDecodeResult.Unreadable unreadable = unreadable(entry);

        assertThat(unreadable.field()).isEqualTo(field);
        assertThat(unreadable.rule()).isEqualTo(rule);
        assertThat(unreadable.reason()).isEqualTo(field + " is required");
    }

    @Test
    void theFieldsEachKindNeedsAreRequired() {
        ObjectNode accepted = written(new JournalEntry.Accepted("job-1", AT, 1, "gen-1", null));
        accepted.remove("generationId");
        assertThat(unreadable(accepted).field()).isEqualTo("generationId");

        ObjectNode parked = written(new JournalEntry.Parked("job-1", AT, AT, job("job-1"), null, Tokens.of(21)));
        parked.remove("job");
        assertThat(unreadable(parked)).extracting(u -> u.field(), u -> u.rule()).containsExactly("job", "required");
        ObjectNode costless = written(new JournalEntry.Parked("job-1", AT, AT, job("job-1"), null, Tokens.of(21)));
        costless.remove("costTokens");
        assertThat(unreadable(costless).field()).isEqualTo("costTokens");

        ObjectNode finished = written(new JournalEntry.Finished("job-1", AT, JobStatus.FAILED, null, Tokens.ZERO, 1));
        finished.remove("status");
        assertThat(unreadable(finished).field()).isEqualTo("status");
    }

    @Test
    void anUnknownKindOrSchemaIsRefused() {
        JournalDecodeResult.Unreadable kind = unreadable(submitting().put("kind", "PAUSED"));
        assertThat(kind.field()).isEqualTo("kind");
        assertThat(kind.reason()).isEqualTo("kind must be one of [SUBMITTING, ACCEPTED, PARKED, FINISHED], got \"PAUSED\"");
        assertThat(unreadable(submitting().put("kind", "submitting")).field()).isEqualTo("kind");

        JournalDecodeResult.Unreadable schema = unreadable(submitting().put("schema", "troupe.journal/v2"));
        assertThat(schema.field()).isEqualTo("schema");
        assertThat(schema.reason()).contains("\"troupe.journal/v2\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bad id", "é", "a/b", "a#0", "a#2#3", "#2"})
    void aJobIdOutsideTheJobRuleIsRefused(String jobId) {
        JournalDecodeResult.Unreadable unreadable = unreadable(submitting().put("jobId", jobId));

        assertThat(unreadable.field()).isEqualTo("jobId");
        assertThat(unreadable.rule()).isEqualTo("pattern [A-Za-z0-9._:-]{1,128}(#[1-9][0-9]{0,3})?");
    }

    @Test
    void aJobIdOfMoreThan128CharactersIsRefused() {
        assertThat(codec.decode(Fixtures.bytes(submitting().put("jobId", "j".repeat(128)))))
                .isInstanceOf(JournalDecodeResult.Decoded.class);
        assertThat(unreadable(submitting().put("jobId", "j".repeat(129))).field()).isEqualTo("jobId");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0              | range 1..1000",
        "1001           | range 1..1000",
        "-3             | range 1..1000",
        "99999999999999 | range 1..1000",
        "1.5            | type",
        "'\"1\"'        | type",
        "true           | type",
    })
    void anAttemptOutsideOneToAThousandIsRefused(String json, String rule) {
        ObjectNode entry = submitting();
        entry.set("attempt", Fixtures.json(json));

        JournalDecodeResult.Unreadable unreadable = unreadable(entry);

        assertThat(unreadable.field()).isEqualTo("attempt");
        assertThat(unreadable.rule()).isEqualTo(rule);
    }

    @Test
    void finishedAttemptsMayBeZero() {
        JournalEntry.Finished expired = new JournalEntry.Finished("job-1", AT, JobStatus.EXPIRED, null, Tokens.ZERO, 0);
        assertThat(codec.decode(codec.encode(expired))).isEqualTo(new JournalDecodeResult.Decoded(expired));
        assertThat(unreadable(written(expired).put("attempts", -1)).field()).isEqualTo("attempts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gen 1", "gen\n1", "gen\u00001", "génération"})
    void aGenerationIdThatIsNotPrintableAsciiIsRefused(String generationId) {
        ObjectNode entry = written(new JournalEntry.Accepted("job-1", AT, 1, "gen-1", null)).put("generationId", generationId);

        JournalDecodeResult.Unreadable unreadable = unreadable(entry);

        assertThat(unreadable.field()).isEqualTo("generationId");
        assertThat(unreadable.rule()).isEqualTo("1..256 printable ASCII characters");
        assertThat(unreadable.reason()).doesNotContain("\n");
    }

    @Test
    void aGenerationIdOfMoreThan256CharactersIsRefusedAndNotQuotedWhole() {
        ObjectNode entry = written(new JournalEntry.Accepted("job-1", AT, 1, "gen-1", null)).put("generationId", "g".repeat(10_000));

        JournalDecodeResult.Unreadable unreadable = unreadable(entry);

        assertThat(unreadable.field()).isEqualTo("generationId");
        assertThat(unreadable.reason()).contains("(10000 characters)").hasSizeLessThan(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-12-02", "2026-12-02T10:15:30", "1764670530"})
    void anInstantThatIsNotIsoIsRefused(String at) {
        JournalDecodeResult.Unreadable unreadable = unreadable(submitting().put("at", at));

        assertThat(unreadable.field()).isEqualTo("at");
        assertThat(unreadable.rule()).isEqualTo("ISO-8601 instant");
    }

    @Test
    void aReasonIsOneLineWhateverTheRecordHeld() {
        ObjectNode finished = written(new JournalEntry.Finished("job-1", AT, JobStatus.SUCCEEDED, "g-1", Tokens.of(21), 1));

        JournalDecodeResult.Unreadable unreadable = unreadable(finished.put("costTokens", "1\n2\u0007"));

        assertThat(unreadable.reason()).contains("\\u000a").doesNotContain("\n").doesNotContain("\u0007");
    }

    @Test
    void aLongInstantIsRefusedWithoutBeingParsed() {
        assertThat(unreadable(submitting().put("at", "2026-12-02T10:15:30" + "0".repeat(100_000) + "Z")).field()).isEqualTo("at");
    }

    @Test
    void costTokensAreAnExactNonNegativeDecimalString() {
        ObjectNode finished = written(new JournalEntry.Finished("job-1", AT, JobStatus.SUCCEEDED, "g-1", Tokens.of(21), 1));
        assertThat(unreadable(finished.deepCopy().put("costTokens", "-1"))).extracting(u -> u.field(), u -> u.rule())
                .containsExactly("costTokens", "not negative");
        assertThat(unreadable(finished.deepCopy().put("costTokens", "1.0001")).field()).isEqualTo("costTokens");
        assertThat(unreadable(finished.deepCopy().put("costTokens", "1e1000000")).field()).isEqualTo("costTokens");
        assertThat(unreadable(finished.deepCopy().put("costTokens", 21)).rule()).isEqualTo("type");
        assertThat(unreadable(finished.deepCopy().put("status", "DONE")).field()).isEqualTo("status");
    }

    @Test
    void aParkedJobIsValidatedLikeARecordOfTheJobsTopic() {
        ObjectNode parked = written(new JournalEntry.Parked("job-1", AT, AT, job("job-1"), null, Tokens.of(21)));
        ((ObjectNode) parked.get("job").get("input")).remove("prompt");

        JournalDecodeResult.Unreadable unreadable = unreadable(parked);

        assertThat(unreadable.field()).isEqualTo("job.input.prompt");
        assertThat(unreadable.rule()).isEqualTo("required");
        assertThat(unreadable.reason()).startsWith("the journaled job is not a valid job: input.prompt");
    }

    @Test
    void aParkedJobOfAnotherJobIdIsRefused() {
        ObjectNode parked = written(new JournalEntry.Parked("job-1", AT, AT, job("job-1"), null, Tokens.of(21)));
        ((ObjectNode) parked.get("job")).put("jobId", "job-2");

        assertThat(unreadable(parked)).extracting(u -> u.field(), u -> u.rule()).containsExactly("job.jobId", "equals jobId");
        assertThat(unreadable(parked.put("job", "{}"))).extracting(u -> u.field(), u -> u.rule()).containsExactly("job", "type");
    }

    @Test
    void bytesThatAreNoEntryAreUnreadableWithTheReason() {
        assertThat(unreadable((byte[]) null).rule()).isEqualTo("not empty");
        assertThat(unreadable(new byte[0]).reason()).isEqualTo("the record is empty");
        assertThat(unreadable(new byte[] {'{', (byte) 0xC3, '}'})).extracting(u -> u.rule(), u -> u.reason())
                .containsExactly("UTF-8", "not UTF-8: invalid byte sequence at byte 1");
        assertThat(unreadable("{\"schema\":".getBytes(StandardCharsets.UTF_8)).rule()).isEqualTo("JSON");
        assertThat(unreadable("[1,2]".getBytes(StandardCharsets.UTF_8)).reason()).isEqualTo("the record is JSON an array, not an object");
        assertThat(unreadable("{\"a\":1} {}".getBytes(StandardCharsets.UTF_8)).rule()).isEqualTo("JSON");
        assertThat(unreadable("{\"kind\":\"SUBMITTING\",\"kind\":\"FINISHED\"}".getBytes(StandardCharsets.UTF_8)).reason())
                .contains("Duplicate field 'kind'");
    }

    @Test
    void aRecordOverOneMebibyteIsRefusedBeforeItIsParsed() {
        byte[] big = ("{\"pad\":\"" + "p".repeat(JournalCodec.MAX_RECORD_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);

        JournalDecodeResult.Unreadable unreadable = unreadable(big);

        assertThat(unreadable.field()).isEmpty();
        assertThat(unreadable.rule()).isEqualTo("max 1048576 bytes");
    }

    @Test
    void deepNestingIsRefusedByTheParser() {
        String deep = "{\"schema\":\"troupe.journal/v1\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThat(unreadable(deep.getBytes(StandardCharsets.UTF_8)).reason()).contains("nesting at most 32 levels");
    }

    @Test
    void anEntryThatCouldNotBeReadBackIsNotWritten() {
        assertThatThrownBy(() -> codec.encode(new JournalEntry.Submitting("job-1", AT, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("journal entry SUBMITTING of job \"job-1\" cannot be written: attempt: attempt must be between 1 and 1000,"
                        + " got 0 (rule: range 1..1000)");
        assertThatThrownBy(() -> codec.encode(new JournalEntry.Submitting("bad id", AT, 1)))
                .hasMessageContaining("jobId must be 1 to 128 characters");
        assertThatThrownBy(() -> codec.encode(new JournalEntry.Accepted("job-1", AT, 1, "gen 1", null)))
                .hasMessageContaining("generationId: generationId must be 1 to 256 printable ASCII characters");
        assertThatThrownBy(() -> codec.encode(new JournalEntry.Parked("job-1", AT, AT, job("job-2"), null, Tokens.of(21))))
                .hasMessageContaining("job.jobId");
        assertThatThrownBy(() -> codec.encode(new JournalEntry.Finished("job-1", AT, JobStatus.FAILED, null, Tokens.of(-1), 1)))
                .hasMessageContaining("costTokens must not be negative");
    }

    @Test
    void aParkedEntryOverOneMebibyteIsNotWritten() {
        GenerationInput input = new GenerationInput(Map.of("prompt", "p".repeat(JournalCodec.MAX_RECORD_BYTES),
                "referencePhoto", Fixtures.PHOTO, "motionVideo", Fixtures.VIDEO));
        MotionJob huge = new MotionJob("job-1", null, null, 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL, input);

        assertThatThrownBy(() -> codec.encode(new JournalEntry.Parked("job-1", AT, AT, huge, null, Tokens.of(21))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than the 1048576 a journal record may have");
    }
}
