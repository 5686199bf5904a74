package dev.troupe.model;

import static dev.troupe.model.Fixtures.json;
import static dev.troupe.model.Fixtures.validInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputValidatorTest {

    private static final String EMOJI = "\uD83D\uDC83"; // 💃: one code point, two chars

    private final ModelSpec kling = ModelCatalog.builtIn().require("kling-3.0-motion");
    private final InputValidator validator = new InputValidator(ValidationLimits.DEFAULTS);

    private InputCheck check(ObjectNode input) {
        return validator.check(kling, input, "input.");
    }

    private Violation onlyViolation(ObjectNode input) {
        InputCheck check = check(input);
        assertThat(check.valid()).isFalse();
        assertThat(check.input()).isNull();
        assertThat(check.violations()).hasSize(1);
        return check.violations().get(0);
    }

    @Test
    void minimalInputIsCompletedWithTheModelDefaults() {
        InputCheck check = check(validInput());

        assertThat(check.valid()).isTrue();
        assertThat(check.violations()).isEmpty();
        assertThat(check.input().fields()).containsExactly(
                Map.entry("prompt", "a robot dancing salsa on a rooftop"),
                Map.entry("aspectRatio", "9:16"),
                Map.entry("duration", 3L),
                Map.entry("audioEnabled", false),
                Map.entry("referencePhoto", Fixtures.PHOTO),
                Map.entry("motionVideo", Fixtures.VIDEO));
    }

    @Test
    void givenValuesReplaceTheDefaults() {
        ObjectNode input = validInput().put("aspectRatio", "16:9").put("duration", 15).put("audioEnabled", true);

        GenerationInput normalised = check(input).input();

        assertThat(normalised.text("aspectRatio")).contains("16:9");
        assertThat(normalised.integer("duration")).contains(15L);
        assertThat(normalised.fields().get("duration")).isInstanceOf(Long.class);
        assertThat(normalised.flag("audioEnabled")).contains(true);
    }

    @Test
    void explicitNullOfAnOptionalFieldMeansTheDefault() {
        ObjectNode input = validInput();
        input.putNull("duration");

        assertThat(check(input).input().integer("duration")).contains(3L);
    }

    // --- prompt

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                  | required",
            "null              | required",
            "\"\"              | not blank",
            "\"   \\n\\t \"    | not blank",
            "42                | type",
            "[\"a\"]           | type",
    })
    void promptMustBeANonBlankString(String rawJson, String rule) {
        ObjectNode input = validInput();
        if (rawJson == null) {
            input.remove("prompt");
        } else {
            input.set("prompt", json(rawJson));
        }

        Violation violation = onlyViolation(input);

        assertThat(violation.path()).isEqualTo("input.prompt");
        assertThat(violation.rule()).isEqualTo(rule);
        assertThat(violation.message()).contains("prompt");
    }

    @Test
    void promptLengthCountsCodePointsSoAnEmojiIsOneCharacter() {
        String atLimit = EMOJI.repeat(2500);
        assertThat(atLimit.length()).isEqualTo(5000);

        assertThat(check(validInput().put("prompt", atLimit)).valid()).isTrue();

        Violation tooLong = onlyViolation(validInput().put("prompt", atLimit + EMOJI));
        assertThat(tooLong.path()).isEqualTo("input.prompt");
        assertThat(tooLong.rule()).isEqualTo("max 2500 code points");
        assertThat(tooLong.message()).contains("2501").contains("2500");
    }

    @Test
    void promptOfPlainCharactersHasTheSameLimit() {
        assertThat(check(validInput().put("prompt", "a".repeat(2500))).valid()).isTrue();
        assertThat(onlyViolation(validInput().put("prompt", "a".repeat(2501))).rule()).isEqualTo("max 2500 code points");
    }

    // --- aspectRatio

    @ParameterizedTest
    @ValueSource(strings = {"9:16", "16:9", "1:1", "4:3", "3:4"})
    void everyDocumentedAspectRatioIsAccepted(String ratio) {
        assertThat(check(validInput().put("aspectRatio", ratio)).input().text("aspectRatio")).contains(ratio);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2:1", "9x16", " 9:16", "9:16 ", "", "16:09"})
    void otherAspectRatiosAreRejected(String ratio) {
        Violation violation = onlyViolation(validInput().put("aspectRatio", ratio));

        assertThat(violation.path()).isEqualTo("input.aspectRatio");
        assertThat(violation.rule()).isEqualTo("one of 9:16, 16:9, 1:1, 4:3, 3:4");
        assertThat(violation.value()).isEqualTo(ratio);
    }

    @Test
    void aspectRatioAsANumberIsAWrongType() {
        ObjectNode input = validInput();
        input.put("aspectRatio", 1.5);

        Violation violation = onlyViolation(input);
        assertThat(violation.rule()).isEqualTo("type");
        assertThat(violation.message()).contains("must be a string").endsWith(", got 1.5");
    }

    // --- duration

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 10, 15})
    void wholeSecondsFrom3To15AreAccepted(int seconds) {
        assertThat(check(validInput().put("duration", seconds)).input().integer("duration")).contains((long) seconds);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2                    | range 3..15",
            "16                   | range 3..15",
            "-3                   | range 3..15",
            "0                    | range 3..15",
            "99999999999999999999 | range 3..15",
            "3.5                  | type",
            "3.0                  | type",
            "3e0                  | type",
            "\"5\"                | type",
            "true                 | type",
    })
    void otherDurationsAreRejected(String rawJson, String rule) {
        ObjectNode input = validInput();
        input.set("duration", json(rawJson));

        Violation violation = onlyViolation(input);

        assertThat(violation.path()).isEqualTo("input.duration");
        assertThat(violation.rule()).isEqualTo(rule);
        assertThat(violation.value()).isNotNull();
    }

    @Test
    void aFloatDurationIsRefusedWithAMessageAboutWholeSeconds() {
        ObjectNode input = validInput();
        input.set("duration", json("3.0"));

        assertThat(onlyViolation(input).message()).contains("whole number").contains("without a decimal point");
    }

    // --- audioEnabled

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void audioEnabledTakesABoolean(boolean enabled) {
        assertThat(check(validInput().put("audioEnabled", enabled)).input().flag("audioEnabled")).contains(enabled);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"true\"", "\"false\"", "1", "0", "{}"})
    void audioEnabledRejectsAnythingButABoolean(String rawJson) {
        ObjectNode input = validInput();
        input.set("audioEnabled", json(rawJson));

        Violation violation = onlyViolation(input);
        assertThat(violation.path()).isEqualTo("input.audioEnabled");
        assertThat(violation.rule()).isEqualTo("type");
        assertThat(violation.message()).contains("boolean");
    }

    // --- asset slots

    static Stream<Arguments> validAssets() {
        return Stream.of(
                Arguments.of("referencePhoto", "asset://asset_abc-DEF_123"),
                Arguments.of("referencePhoto", "https://cdn.example.com/characters/robot.png"),
                Arguments.of("referencePhoto", "https://cdn.example.com:8443/robot.png?sig=abc&exp=1"),
                Arguments.of("referencePhoto", "HTTPS://CDN.EXAMPLE.COM/ROBOT.PNG"),
                Arguments.of("referencePhoto", Fixtures.PNG_DATA_URI),
                Arguments.of("referencePhoto", "data:image/jpeg;base64,/9j/4AAQ"),
                Arguments.of("referencePhoto", "data:image/svg+xml;base64,PHN2Zz4="),
                Arguments.of("motionVideo", "asset://asset_video-9"),
                Arguments.of("motionVideo", "https://127.0.0.1/v.mp4"),
                Arguments.of("motionVideo", Fixtures.MP4_DATA_URI),
                Arguments.of("motionVideo", "data:video/quicktime;base64,AAAA"));
    }

    @ParameterizedTest
    @MethodSource("validAssets")
    void assetSlotsAcceptAssetHttpsAndDataUris(String slot, String value) {
        InputCheck check = check(validInput().put(slot, value));

        assertThat(check.violations()).isEmpty();
        assertThat(check.input().text(slot)).contains(value);
    }

    static Stream<Arguments> invalidAssets() {
        return Stream.of(
                Arguments.of("referencePhoto", "http://cdn.example.com/robot.png", "https required"),
                Arguments.of("motionVideo", "HTTP://cdn.example.com/salsa.mp4", "https required"),
                Arguments.of("referencePhoto", "https:///robot.png", "https uri"),
                Arguments.of("referencePhoto", "https://", "https uri"),
                Arguments.of("referencePhoto", "https:robot.png", "https uri"),
                Arguments.of("referencePhoto", "https://cdn example.com/robot.png", "https uri"),
                Arguments.of("referencePhoto", "data:video/mp4;base64,AAAA", "media type"),
                Arguments.of("motionVideo", "data:image/png;base64,AAAA", "media type"),
                Arguments.of("referencePhoto", "data:text/plain;base64,AAAA", "media type"),
                Arguments.of("referencePhoto", "data:image/png;base64,@@@@", "base64"),
                Arguments.of("referencePhoto", "data:image/png;base64,iVBO Rw0K", "base64"),
                Arguments.of("referencePhoto", "data:image/png;base64,iVBO\nRw0K", "base64"),
                Arguments.of("referencePhoto", "data:image/png;base64,iVBORw0KGgo-", "base64"),
                Arguments.of("referencePhoto", "data:image/png;base64,A", "base64"),
                Arguments.of("referencePhoto", "data:image/png;base64,", "base64"),
                Arguments.of("referencePhoto", "data:image/png,iVBORw0KGgo=", "data uri"),
                Arguments.of("referencePhoto", "data:image/png;base64", "data uri"),
                Arguments.of("referencePhoto", "data:;base64,AAAA", "data uri"),
                Arguments.of("referencePhoto", "asset://foo", "asset id"),
                Arguments.of("referencePhoto", "asset://asset_", "asset id"),
                Arguments.of("referencePhoto", "asset://asset_a/b", "asset id"),
                Arguments.of("referencePhoto", "asset:asset_a", "asset id"),
                Arguments.of("referencePhoto", "ftp://cdn.example.com/robot.png", "asset uri"),
                Arguments.of("referencePhoto", "robot.png", "asset uri"),
                Arguments.of("referencePhoto", "", "asset uri"),
                Arguments.of("motionVideo", "/tmp/salsa.mp4", "asset uri"));
    }

    @ParameterizedTest
    @MethodSource("invalidAssets")
    void assetSlotsRejectEverythingElseNamingTheRule(String slot, String value, String rule) {
        Violation violation = onlyViolation(validInput().put(slot, value));

        assertThat(violation.path()).isEqualTo("input." + slot);
        assertThat(violation.rule()).isEqualTo(rule);
        assertThat(violation.value()).isEqualTo(value);
        assertThat(violation.message()).isNotBlank();
    }

    @Test
    void aVideoDataUriInTheImageSlotNamesTheExpectedMediaType() {
        Violation violation = onlyViolation(validInput().put("referencePhoto", Fixtures.MP4_DATA_URI));

        assertThat(violation.message()).contains("data:image/").contains("got data:video/mp4");
    }

    @Test
    void plainHttpIsRefusedWithAMessageAskingForHttps() {
        assertThat(onlyViolation(validInput().put("motionVideo", "http://cdn.example.com/a.mp4")).message())
                .contains("https://");
    }

    @Test
    void anAssetSlotHoldingANumberIsAWrongType() {
        ObjectNode input = validInput();
        input.put("referencePhoto", 42);

        Violation violation = onlyViolation(input);
        assertThat(violation.rule()).isEqualTo("type");
        assertThat(violation.value()).isEqualTo("42");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 28, 29, 30})
    void dataUrisUpToTheLimitPass(int bytes) {
        InputValidator small = new InputValidator(new ValidationLimits(30, 1_000_000));
        String uri = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[bytes]);

        assertThat(small.check(kling, validInput().put("referencePhoto", uri), "input.").violations()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {31, 32, 33, 100})
    void dataUrisOverTheLimitAreRejected(int bytes) {
        InputValidator small = new InputValidator(new ValidationLimits(30, 1_000_000));
        String uri = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[bytes]);

        List<Violation> violations = small.check(kling, validInput().put("referencePhoto", uri), "input.").violations();

        assertThat(violations).extracting(Violation::rule).containsExactly("max data uri size");
        assertThat(violations.get(0).message()).contains(bytes + " bytes").contains("30");
    }

    @Test
    void anOversizedDataUriIsReportedShortly() {
        String uri = "data:video/mp4;base64," + Base64.getEncoder().encodeToString(new byte[700_001]);

        Violation violation = onlyViolation(validInput().put("motionVideo", uri));

        assertThat(violation.rule()).isEqualTo("max data uri size");
        assertThat(violation.value()).startsWith("data:video/mp4;base64,AAAA").hasSizeLessThan(120);
        assertThat(violation.toString()).hasSizeLessThan(400);
    }

    // --- the object itself

    @Test
    void unknownInputFieldsAreRejectedBecauseGivonWouldReceiveThem() {
        ObjectNode input = validInput().put("aspectratio", "16:9");

        Violation violation = onlyViolation(input);

        assertThat(violation.path()).isEqualTo("input.aspectratio");
        assertThat(violation.rule()).isEqualTo("unknown field");
        assertThat(violation.message()).contains("aspectRatio");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2] | type",
            "\"x\"  | type",
            "3      | type",
            "null   | required",
    })
    void anInputThatIsNotAnObjectIsOneViolationAtThePrefix(String rawJson, String rule) {
        InputCheck check = validator.check(kling, json(rawJson), "input.");

        assertThat(check.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("input");
            assertThat(v.rule()).isEqualTo(rule);
        });
    }

    @Test
    void aMissingInputIsRequired() {
        assertThat(validator.check(kling, null, "input.").violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("input", "required"));
    }

    @Test
    void pathsUseTheGivenPrefix() {
        ObjectNode input = validInput();
        input.remove("prompt");

        assertThat(validator.check(kling, input, "").violations()).extracting(Violation::path).containsExactly("prompt");
        assertThat(validator.check(kling, input, "body.input.").violations()).extracting(Violation::path)
                .containsExactly("body.input.prompt");
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        ObjectNode input = validInput().put("aspectRatio", "2:1").put("duration", 16).put("audioEnabled", "true")
                .put("referencePhoto", "http://cdn.example.com/a.png").put("extra", 1);
        input.remove("prompt");

        InputCheck check = check(input);

        assertThat(check.input()).isNull();
        assertThat(check.violations()).extracting(Violation::path, Violation::rule).containsExactly(
                org.assertj.core.groups.Tuple.tuple("input.prompt", "required"),
                org.assertj.core.groups.Tuple.tuple("input.aspectRatio", "one of 9:16, 16:9, 1:1, 4:3, 3:4"),
                org.assertj.core.groups.Tuple.tuple("input.duration", "range 3..15"),
                org.assertj.core.groups.Tuple.tuple("input.audioEnabled", "type"),
                org.assertj.core.groups.Tuple.tuple("input.referencePhoto", "https required"),
                org.assertj.core.groups.Tuple.tuple("input.extra", "unknown field"));
    }

    // --- schemas other than Kling's

    private static final ModelSpec LISTED = ModelCatalog.fromJson("""
            {"models":[{"id":"listed","type":"video","pricePerSecond":"1.5","durationField":"duration","fields":[
              {"name":"prompt","kind":"TEXT","maxCodePoints":0},
              {"name":"duration","kind":"INTEGER","required":true,"allowed":[5,10]},
              {"name":"style","kind":"ENUM","allowed":["anime","real"]}]}]}
            """).require("listed");

    @Test
    void integerFieldsWithAListAcceptOnlyTheListedValues() {
        ObjectNode input = Fixtures.JSON.createObjectNode().put("duration", 10);
        assertThat(validator.check(LISTED, input, "input.").input().fields())
                .containsExactly(Map.entry("duration", 10L));

        input.put("duration", 7);
        assertThat(validator.check(LISTED, input, "input.").violations())
                .extracting(Violation::rule).containsExactly("one of 5, 10");
    }

    @Test
    void optionalFieldsWithoutDefaultStayAbsentAndTextWithoutLimitIsUnbounded() {
        ObjectNode input = Fixtures.JSON.createObjectNode().put("duration", 5).put("prompt", "x".repeat(10_000));

        GenerationInput normalised = validator.check(LISTED, input, "input.").input();

        assertThat(normalised.fields()).containsOnlyKeys("prompt", "duration");
    }
}
