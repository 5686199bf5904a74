package dev.troupe.model;

import static dev.troupe.model.Fixtures.bytes;
import static dev.troupe.model.Fixtures.json;
import static dev.troupe.model.Fixtures.validJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobCodecTest {

    private final JobCodec codec = JobCodec.defaults();

    private MotionJob decoded(ObjectNode job) {
        DecodeResult result = codec.decode(bytes(job));
        assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded) result).job();
    }

    private DecodeResult.Invalid invalid(ObjectNode job) {
        return invalid(codec.decode(bytes(job)));
    }

    private static DecodeResult.Invalid invalid(DecodeResult result) {
        assertThat(result).isInstanceOf(DecodeResult.Invalid.class);
        return (DecodeResult.Invalid) result;
    }

    private Violation onlyViolation(ObjectNode job) {
        DecodeResult.Invalid invalid = invalid(job);
        assertThat(invalid.violations()).hasSize(1);
        return invalid.violations().get(0);
    }

    private String unreadable(byte[] record) {
        DecodeResult result = codec.decode(record);
        assertThat(result).isInstanceOf(DecodeResult.Unreadable.class);
        return ((DecodeResult.Unreadable) result).reason();
    }

    @Test
    void aMinimalJobDecodesWithDefaults() {
        MotionJob job = decoded(validJob());

        assertThat(job.jobId()).isEqualTo("job-1");
        assertThat(job.batchId()).isNull();
        assertThat(job.tenant()).isNull();
        assertThat(job.priority()).isZero();
        assertThat(job.metadata()).isEmpty();
        assertThat(job.notAfter()).isNull();
        assertThat(job.model()).isEqualTo(ModelCatalog.DEFAULT_MODEL);
        assertThat(job.input().integer("duration")).contains(3L);
        assertThat(job.input().text("aspectRatio")).contains("9:16");
    }

    @Test
    void aFullJobKeepsEveryField() {
        ObjectNode node = validJob().put("batchId", "night-7").put("tenant", "studio.a").put("priority", -5)
                .put("notAfter", "2026-11-24T20:00:00Z").put("model", "kling-2.6-motion");
        node.putObject("metadata").put("character", "robot").put("dance", "salsa");
        ((ObjectNode) node.get("input")).put("duration", 5);

        MotionJob job = decoded(node);

        assertThat(job.batchId()).isEqualTo("night-7");
        assertThat(job.tenant()).isEqualTo("studio.a");
        assertThat(job.priority()).isEqualTo(-5);
        assertThat(job.notAfter()).isEqualTo(Instant.parse("2026-11-24T20:00:00Z"));
        assertThat(job.model()).isEqualTo("kling-2.6-motion");
        assertThat(job.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("character", "robot", "dance", "salsa"));
        assertThat(ModelCatalog.builtIn().require(job.model()).cost(job.input())).isEqualTo(Tokens.of(40));
    }

    // --- jobId

    @ParameterizedTest
    @ValueSource(strings = {"a", "job-1", "A.z_0:9-x", "batch:7:robot.salsa"})
    void jobIdsOfTheAllowedCharactersAreAccepted(String jobId) {
        assertThat(decoded(validJob().put("jobId", jobId)).jobId()).isEqualTo(jobId);
    }

    @Test
    void jobIdsMayBe128CharactersLongButNot129() {
        assertThat(decoded(validJob().put("jobId", "j".repeat(128))).jobId()).hasSize(128);

        Violation violation = onlyViolation(validJob().put("jobId", "j".repeat(129)));
        assertThat(violation.path()).isEqualTo("jobId");
        assertThat(violation.rule()).isEqualTo("pattern [A-Za-z0-9._:-]{1,128}");
        assertThat(violation.message()).contains("1 to 128");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"\"           | pattern [A-Za-z0-9._:-]{1,128}",
            "\"has space\"  | pattern [A-Za-z0-9._:-]{1,128}",
            "\"a/b\"        | pattern [A-Za-z0-9._:-]{1,128}",
            "\"ümlaut\"     | pattern [A-Za-z0-9._:-]{1,128}",
            "\"job\\n1\"    | pattern [A-Za-z0-9._:-]{1,128}",
            "42             | type",
            "null           | required",
    })
    void badJobIdsAreViolationsAndLeaveTheJobIdUnknown(String rawJson, String rule) {
        ObjectNode job = validJob();
        job.set("jobId", json(rawJson));

        DecodeResult.Invalid invalid = invalid(job);

        assertThat(invalid.jobId()).isNull();
        assertThat(invalid.violations()).extracting(Violation::path, Violation::rule).containsExactly(tuple("jobId", rule));
    }

    @Test
    void aMissingJobIdIsRequired() {
        ObjectNode job = validJob();
        job.remove("jobId");

        assertThat(invalid(job).violations()).extracting(Violation::path, Violation::rule).containsExactly(tuple("jobId", "required"));
    }

    // --- schema

    @Test
    void aMissingSchemaIsRequired() {
        ObjectNode job = validJob();
        job.remove("schema");

        Violation violation = onlyViolation(job);
        assertThat(violation.rule()).isEqualTo("required");
        assertThat(violation.message()).contains(MotionJob.SCHEMA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"troupe.motion-job/v2", "troupe.job-result/v1", ""})
    void anotherSchemaIsRejectedNamingTheExpectedOne(String schema) {
        DecodeResult.Invalid invalid = invalid(validJob().put("schema", schema));

        assertThat(invalid.jobId()).isEqualTo("job-1");
        assertThat(invalid.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("schema");
            assertThat(v.rule()).isEqualTo("schema");
            assertThat(v.message()).contains("\"troupe.motion-job/v1\"");
        });
    }

    @Test
    void aSchemaThatIsNotAStringIsAWrongType() {
        ObjectNode job = validJob();
        job.put("schema", 1);

        assertThat(onlyViolation(job).rule()).isEqualTo("type");
    }

    // --- model

    @Test
    void anUnknownModelIsRejectedNamingTheKnownOnes() {
        Violation violation = onlyViolation(validJob().put("model", "kling-9-motion"));

        assertThat(violation.path()).isEqualTo("model");
        assertThat(violation.rule()).isEqualTo("known model");
        assertThat(violation.value()).isEqualTo("kling-9-motion");
        assertThat(violation.message()).contains("kling-3.0-motion").contains("kling-2.6-motion");
    }

    @Test
    void aCatalogWithoutTheDefaultModelNeedsAnExplicitModel() {
        JobCodec custom = new JobCodec(ModelCatalog.fromJson("""
                {"models":[{"id":"other","type":"video","pricePerSecond":"1","fixedDurationSeconds":5,
                  "fields":[{"name":"prompt","kind":"TEXT","required":true}]}]}"""), ValidationLimits.DEFAULTS);
        ObjectNode job = validJob();
        job.putObject("input").put("prompt", "x");

        assertThat(invalid(custom.decode(bytes(job))).violations()).extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("model", "required"));
        assertThat(custom.decode(bytes(job.put("model", "other")))).isInstanceOf(DecodeResult.Decoded.class);
    }

    // --- other top-level fields

    @Test
    void unknownTopLevelFieldsAreTolerated() {
        ObjectNode job = validJob().put("submittedBy", "batch-cli");
        job.putObject("future").put("x", 1);

        assertThat(decoded(job).jobId()).isEqualTo("job-1");
    }

    @Test
    void unknownInputFieldsAreRejected() {
        ObjectNode job = validJob();
        ((ObjectNode) job.get("input")).put("seed", 42);

        Violation violation = onlyViolation(job);
        assertThat(violation.path()).isEqualTo("input.seed");
        assertThat(violation.rule()).isEqualTo("unknown field");
    }

    @Test
    void aJobWithoutInputIsRejected() {
        ObjectNode job = validJob();
        job.remove("input");

        assertThat(onlyViolation(job)).extracting(Violation::path, Violation::rule).containsExactly("input", "required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "batchId  | \"b 1\"                  | pattern [A-Za-z0-9._:-]{1,128}",
            "batchId  | 7                        | type",
            "tenant   | \"studio/a\"             | pattern [A-Za-z0-9._:-]{1,64}",
            "priority | 1001                     | range -1000..1000",
            "priority | -1001                    | range -1000..1000",
            "priority | 4294967296               | range -1000..1000",
            "priority | 1.5                      | type",
            "priority | \"1\"                    | type",
            "metadata | [\"a\"]                  | type",
            "metadata | \"k=v\"                  | type",
            "notAfter | \"tomorrow\"             | instant",
            "notAfter | \"2026-11-24 20:00:00\"  | instant",
            "notAfter | 1764014400000            | instant",
            "model    | 3                        | type",
    })
    void wrongTopLevelFieldsAreViolationsNamingTheRule(String field, String rawJson, String rule) {
        ObjectNode job = validJob();
        job.set(field, json(rawJson));

        DecodeResult.Invalid invalid = invalid(job);

        assertThat(invalid.jobId()).isEqualTo("job-1");
        assertThat(invalid.violations()).extracting(Violation::path, Violation::rule).containsExactly(tuple(field, rule));
        assertThat(invalid.violations().get(0).message()).isNotBlank();
    }

    @Test
    void wrongTypesNameTheExpectedType() {
        ObjectNode job = validJob();
        job.put("batchId", 7);

        assertThat(onlyViolation(job).message()).isEqualTo("batchId must be a string, got 7");
    }

    @Test
    void tenantsMayBe64CharactersLongButNot65() {
        assertThat(decoded(validJob().put("tenant", "t".repeat(64))).tenant()).hasSize(64);
        assertThat(onlyViolation(validJob().put("tenant", "t".repeat(65))).path()).isEqualTo("tenant");
    }

    @Test
    void prioritiesAtTheBoundsAreAccepted() {
        assertThat(decoded(validJob().put("priority", 1000)).priority()).isEqualTo(1000);
        assertThat(decoded(validJob().put("priority", -1000)).priority()).isEqualTo(-1000);
    }

    @Test
    void nullOptionalFieldsMeanAbsent() {
        ObjectNode job = validJob();
        job.putNull("batchId");
        job.putNull("metadata");
        job.putNull("model");
        job.putNull("priority");

        MotionJob decoded = decoded(job);
        assertThat(decoded.batchId()).isNull();
        assertThat(decoded.metadata()).isEmpty();
        assertThat(decoded.model()).isEqualTo(ModelCatalog.DEFAULT_MODEL);
    }

    @Test
    void metadataValuesMustBeStrings() {
        ObjectNode job = validJob();
        job.putObject("metadata").put("ok", "yes").put("count", 3).putNull("none");

        assertThat(invalid(job).violations()).extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("metadata.count", "type"), tuple("metadata.none", "type"));
    }

    @Test
    void metadataIsBoundedInEntriesKeysAndValues() {
        ObjectNode many = validJob();
        ObjectNode entries = many.putObject("metadata");
        for (int i = 0; i < 65; i++) {
            entries.put("k" + i, "v");
        }
        assertThat(onlyViolation(many).rule()).isEqualTo("max 64 entries");
        entries.remove("k64");
        assertThat(decoded(many).metadata()).hasSize(64);

        ObjectNode longKey = validJob();
        longKey.putObject("metadata").put("k".repeat(257), "v").put("\uD83D\uDC83".repeat(256), "emoji key at the limit");
        assertThat(onlyViolation(longKey)).extracting(Violation::path, Violation::rule)
                .containsExactly("metadata", "max key 256 code points");

        ObjectNode longValue = validJob();
        longValue.putObject("metadata").put("a", "v".repeat(2049)).put("b", "v".repeat(2048));
        assertThat(onlyViolation(longValue)).extracting(Violation::path, Violation::rule)
                .containsExactly("metadata.a", "max 2048 code points");
    }

    @Test
    void notAfterAcceptsIsoInstants() {
        assertThat(decoded(validJob().put("notAfter", "2026-11-24T20:00:00.123456789Z")).notAfter())
                .isEqualTo(Instant.parse("2026-11-24T20:00:00.123456789Z"));
    }

    // --- all at once

    @Test
    void aJobWithFourBadFieldsYieldsFourViolationsWithTheirPaths() {
        ObjectNode job = validJob().put("tenant", "a tenant").put("priority", 5000);
        ((ObjectNode) job.get("input")).put("aspectRatio", "2:1").put("duration", 2);

        DecodeResult.Invalid invalid = invalid(job);

        assertThat(invalid.jobId()).isEqualTo("job-1");
        assertThat(invalid.violations()).extracting(Violation::path)
                .containsExactly("tenant", "priority", "input.aspectRatio", "input.duration");
    }

    @Test
    void violationsAreCollectedEvenWhenTheJobIdIsBad() {
        ObjectNode job = validJob().put("jobId", "bad id").put("schema", "v0");
        ((ObjectNode) job.get("input")).remove("prompt");

        DecodeResult.Invalid invalid = invalid(job);

        assertThat(invalid.jobId()).isNull();
        assertThat(invalid.violations()).extracting(Violation::path).containsExactly("schema", "jobId", "input.prompt");
    }

    // --- records that are not jobs

    @Test
    void emptyRecordsAreUnreadable() {
        assertThat(unreadable(null)).contains("empty");
        assertThat(unreadable(new byte[0])).contains("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"jobId\":", "{} {}", "{\"jobId\":\"a\",\"jobId\":\"b\"}", "   ", "{'jobId':'a'}"})
    void textThatIsNotOneJsonDocumentIsUnreadable(String text) {
        assertThat(unreadable(text.getBytes(StandardCharsets.UTF_8))).isNotBlank();
    }

    @Test
    void duplicateKeysAreRefusedRatherThanGuessed() {
        assertThat(unreadable("{\"jobId\":\"a\",\"jobId\":\"b\"}".getBytes(StandardCharsets.UTF_8)))
                .contains("Duplicate field 'jobId'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2]     | an array",
            "\"job-1\"  | a string",
            "42         | an integer",
            "null       | null",
    })
    void jsonThatIsNotAnObjectIsUnreadable(String text, String kind) {
        assertThat(unreadable(text.getBytes(StandardCharsets.UTF_8))).isEqualTo("the record is JSON " + kind + ", not an object");
    }

    @Test
    void bytesThatAreNotUtf8AreUnreadable() {
        byte[] latin1 = "{\"jobId\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(unreadable(latin1)).isEqualTo("not UTF-8: invalid byte sequence at byte 13");
        assertThat(unreadable("{}".getBytes(StandardCharsets.UTF_16))).isEqualTo("not UTF-8: invalid byte sequence at byte 0");
    }

    @Test
    void anOversizedRecordIsInvalidAndStillNamesItsJob() {
        JobCodec small = new JobCodec(ModelCatalog.builtIn(), new ValidationLimits(700_000, 2_000));
        ObjectNode job = validJob();
        ((ObjectNode) job.get("input")).put("referencePhoto", "data:image/png;base64,"
                + Base64.getEncoder().encodeToString(new byte[3_000]));
        job.put("jobId", "big-1");

        DecodeResult.Invalid invalid = invalid(small.decode(bytes(job)));

        assertThat(invalid.jobId()).isEqualTo("big-1");
        assertThat(invalid.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEmpty();
            assertThat(v.rule()).isEqualTo("max record size");
            assertThat(v.message()).contains("2000");
        });
    }

    @Test
    void anOversizedRecordWithoutAReadableJobIdHasNone() {
        JobCodec small = new JobCodec(ModelCatalog.builtIn(), new ValidationLimits(700_000, 100));

        assertThat(invalid(small.decode("x".repeat(101).getBytes(StandardCharsets.UTF_8))).jobId()).isNull();
        ObjectNode nested = Fixtures.JSON.createObjectNode();
        nested.putObject("inner").put("jobId", "not-top-level").put("pad", "p".repeat(100));
        assertThat(invalid(small.decode(bytes(nested))).jobId()).isNull();
        assertThat(invalid(small.decode(bytes(validJob().put("jobId", "bad id").put("pad", "p".repeat(100))))).jobId())
                .isNull();
    }

    @Test
    void anOversizedDataUriInsideAJobIsReported() {
        ObjectNode job = validJob();
        ((ObjectNode) job.get("input")).put("motionVideo", "data:video/mp4;base64,"
                + Base64.getEncoder().encodeToString(new byte[700_003]));

        DecodeResult.Invalid invalid = invalid(codec.decode(bytes(job)));

        assertThat(invalid.violations()).extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("input.motionVideo", "max data uri size"));
    }

    // ---- hostile records: whatever the bytes, decode returns a result and every text in it is bounded ----

    @ParameterizedTest
    @ValueSource(ints = {33, 1_000, 100_000})
    void aRecordNestedDeeperThanAJobIsUnreadableWithTheReason(int depth) {
        String open = "{\"a\":".repeat(depth);
        String close = "}".repeat(depth);

        String reason = unreadable(utf8(open + "1" + close));

        assertThat(reason).startsWith("not JSON: exceeds a reading limit (nesting at most 32 levels");
        // Inside the job's own fields too: a deep value under input is as unreadable.
        assertThat(unreadable(utf8("{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"deep-1\",\"input\":"
                + "[".repeat(depth) + "]".repeat(depth) + "}"))).contains("nesting at most 32 levels");
    }

    @Test
    void aJobIsItsFirstRunUnlessItSaysOtherwiseAndALaterRunHasAKeyOfItsOwn() {
        MotionJob first = decoded(Fixtures.validJob());
        assertThat(first.run()).isEqualTo(1);
        assertThat(first.runKey()).isEqualTo(first.jobId());
        assertThat(new String(codec.encode(first), StandardCharsets.UTF_8)).doesNotContain("\"run\"");

        MotionJob third = decoded(Fixtures.validJob().put("run", 3));
        assertThat(third.run()).isEqualTo(3);
        assertThat(third.runKey()).isEqualTo(third.jobId() + "#3");
        assertThat(((DecodeResult.Decoded) codec.decode(codec.encode(third))).job()).isEqualTo(third);
        assertThat(third.nextRun().run()).isEqualTo(4);
    }

    @Test
    void aRunThatIsNotAWholeNumberInRangeIsNamedWithItsRule() {
        assertThat(onlyViolation(Fixtures.validJob().put("run", "2"))).satisfies(v -> {
            assertThat(v.path()).isEqualTo("run");
            assertThat(v.rule()).isEqualTo("type");
            assertThat(v.message()).isEqualTo("run must be a whole number, got a string");
        });
        for (long outside : new long[] {0, -1, MotionJob.MAX_RUN + 1, Long.MAX_VALUE}) {
            assertThat(onlyViolation(Fixtures.validJob().put("run", outside))).satisfies(v -> {
                assertThat(v.path()).isEqualTo("run");
                assertThat(v.rule()).isEqualTo("range 1.." + MotionJob.MAX_RUN);
            });
        }
        assertThat(onlyViolation(Fixtures.validJob().put("run", 2.5)).rule()).isEqualTo("type");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNumberOfAThousandDigitsIsUnreadableNotParsed() {
        assertThat(unreadable(utf8("{\"jobId\":\"n-1\",\"priority\":" + "9".repeat(1_000) + "}")))
                .contains("numbers at most 100 characters");
    }

    @Test
    void tenThousandUnknownInputFieldsGiveAFewViolationsThatCountTheRest() {
        ObjectNode job = validJob();
        ObjectNode input = (ObjectNode) job.get("input");
        for (int i = 0; i < 10_000; i++) {
            input.put("extra-" + i, i);
        }

        DecodeResult.Invalid invalid = invalid(job);

        assertThat(invalid.jobId()).isEqualTo("job-1");
        assertThat(invalid.violations()).hasSize(InputValidator.MAX_UNKNOWN_FIELDS_LISTED + 1);
        assertThat(invalid.violations().get(InputValidator.MAX_UNKNOWN_FIELDS_LISTED).message())
                .startsWith("9995 more unknown input field(s) not listed");
    }

    @Test
    void aFortyThousandCharacterFieldNameIsClippedInTheViolation() {
        ObjectNode job = validJob();
        String name = "n".repeat(40_000); // Jackson refuses names over 50,000: unreadable then
        ((ObjectNode) job.get("input")).put(name, 1);
        job.putObject("metadata").put("k", 1);

        DecodeResult.Invalid invalid = invalid(job);

        assertThat(invalid.violations()).allSatisfy(v -> assertThat(v.toString().length()).isLessThan(1_200));
    }

    @Test
    void aJobBreakingThousandsOfRulesListsAtMostFiftyViolations() {
        ObjectNode job = validJob();
        ObjectNode metadata = job.putObject("metadata");
        for (int i = 0; i < 60; i++) {
            metadata.put("key-" + i, i); // 60 entries of the wrong type, under the 64-entry cap
        }

        DecodeResult.Invalid invalid = invalid(job);

        assertThat(invalid.violations()).hasSize(DecodeResult.Invalid.MAX_VIOLATIONS);
        assertThat(invalid.violations().get(DecodeResult.Invalid.MAX_VIOLATIONS - 1).message())
                .startsWith("11 more violation(s) not listed");
    }

    @Test
    void everyFieldOfTheFieldListIsOneTheReaderChecks() {
        for (String field : JobCodec.FIELDS) {
            ObjectNode job = validJob();
            job.putArray(field);

            DecodeResult result = codec.decode(bytes(job));

            assertThat(result).as(field).isInstanceOf(DecodeResult.Invalid.class);
            assertThat(((DecodeResult.Invalid) result).violations()).as(field).extracting(Violation::path).contains(field);
        }
    }

    @Test
    void unknownTopLevelFieldsAreNamedWithTheFieldTheyMostLikelyMeant() {
        ObjectNode job = validJob();
        job.put("tennant", "studio-a");
        job.put("colour", "red");
        job.put("x".repeat(100), 1);
        job.putObject("input").put("aspectratio", "16:9");

        assertThat(codec.decode(bytes(job.deepCopy().set("input", validJob().get("input"))))).isInstanceOf(DecodeResult.Decoded.class);
        assertThat(JobCodec.unknownFields(job)).containsExactly(
                new UnknownField("tennant", java.util.Optional.of("tenant")),
                new UnknownField("colour", java.util.Optional.empty()),
                new UnknownField("x".repeat(100), java.util.Optional.empty()));
        assertThat(JobCodec.unknownFields(job).get(2).name()).hasSizeLessThan(80);
        assertThat(JobCodec.unknownFieldCount(job)).isEqualTo(3);
        assertThat(JobCodec.unknownFields(validJob())).isEmpty();
        assertThat(JobCodec.unknownFields(json("[1]"))).isEmpty();
    }

    @Test
    void onlyTheFirstUnknownFieldsAreListedTheRestCounted() {
        ObjectNode job = validJob();
        for (int i = 0; i < 100; i++) {
            job.put("extra" + i, i);
        }

        assertThat(JobCodec.unknownFields(job)).hasSize(JobCodec.MAX_UNKNOWN_FIELDS_LISTED);
        assertThat(JobCodec.unknownFieldCount(job)).isEqualTo(100);
    }
}
