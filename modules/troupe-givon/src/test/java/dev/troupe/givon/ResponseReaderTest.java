package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.givon.GenerationStatus.Phase;
import dev.troupe.model.Tokens;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static final String SECRET = "sk-test-reader-0f1e2d";
    private final ResponseReader reader = new ResponseReader(new GivonText(ApiKey.of(SECRET)));

    private static JsonNode json(String text) {
        return ResponseReader.tree(text).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":\"gen_1\"}",
            "{\"generationId\":\"gen_1\"}",
            "{\"data\":{\"id\":\"gen_1\"}}",
            "{\"id\":null,\"data\":{\"id\":\"gen_1\"}}",
            "{\"id\":{\"weird\":true},\"generationId\":\"gen_1\"}"})
    void findsTheGenerationIdUnderAnyKnownName(String body) {
        assertThat(ResponseReader.generationId(json(body))).contains("gen_1");
    }

    @Test
    void aBodyWithoutIdHasNone() {
        assertThat(ResponseReader.generationId(json("{\"status\":\"queued\",\"id\":\"  \"}"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "succeeded,SUCCEEDED", "COMPLETED,SUCCEEDED", "Success,SUCCEEDED", "done,SUCCEEDED",
            "failed,FAILED", "ERROR,FAILED", "canceled,FAILED", "Cancelled,FAILED", "rejected,FAILED",
            "moderated,FAILED", "expired,FAILED",
            "queued,RUNNING", "processing,RUNNING", "IN_PROGRESS,RUNNING", "rendering-ish,RUNNING"})
    void normalisesStatusWordsCaseInsensitively(String raw, Phase phase) {
        assertThat(ResponseReader.phase(raw)).isEqualTo(phase);
        assertThat(ResponseReader.phase(" " + raw + " ")).isEqualTo(phase);
    }

    @Test
    void aMissingStatusMeansRunning() {
        GenerationStatus status = reader.status("gen_1", json("{\"id\":\"gen_1\"}"));
        assertThat(status.phase()).isEqualTo(Phase.RUNNING);
        assertThat(status.rawStatus()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"status\":\"done\",\"videoUrl\":\"https://v/1.mp4\"}",
            "{\"status\":\"done\",\"video_url\":\"https://v/1.mp4\"}",
            "{\"status\":\"done\",\"url\":\"https://v/1.mp4\"}",
            "{\"status\":\"done\",\"output\":{\"url\":\"https://v/1.mp4\"}}",
            "{\"status\":\"done\",\"output\":{\"videoUrl\":\"https://v/1.mp4\"}}",
            "{\"status\":\"done\",\"output\":[\"https://v/1.mp4\"]}",
            "{\"status\":\"done\",\"output\":[{\"url\":\"https://v/1.mp4\"}]}",
            "{\"status\":\"done\",\"result\":{\"url\":\"https://v/1.mp4\"}}",
            "{\"data\":{\"status\":\"done\",\"videoUrl\":\"https://v/1.mp4\"}}"})
    void findsTheVideoUrlUnderAnyKnownName(String body) {
        GenerationStatus status = reader.status("gen_1", json(body));
        assertThat(status.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(status.videoUrl()).isEqualTo("https://v/1.mp4");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"status\":\"failed\",\"error\":{\"message\":\"face not found\"}}",
            "{\"status\":\"failed\",\"error\":\"face not found\"}",
            "{\"status\":\"failed\",\"message\":\"face not found\"}",
            "{\"status\":\"failed\",\"failureReason\":\"face not found\"}"})
    void findsTheFailureReasonUnderAnyKnownName(String body) {
        GenerationStatus status = reader.status("gen_1", json(body));
        assertThat(status.phase()).isEqualTo(Phase.FAILED);
        assertThat(status.failureReason()).isEqualTo("face not found");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"cost\":21}|21",
            "{\"cost\":5.5}|5.5",
            "{\"cost\":\"6.4\"}|6.4",
            "{\"costTokens\":0.001}|0.001",
            "{\"credits\":\"105\"}|105",
            "{\"cost\":0.1, \"credits\":99}|0.1"})
    void readsCostsExactly(String body, String expected) {
        assertThat(ResponseReader.cost(json(body))).contains(Tokens.parse(expected));
    }

    @Test
    void aCostThatIsNotAnExactAmountIsIgnored() {
        assertThat(ResponseReader.cost(json("{\"cost\":\"n/a\"}"))).isEmpty();
        assertThat(ResponseReader.cost(json("{\"cost\":0.0001}"))).isEmpty();
        assertThat(ResponseReader.cost(json("{\"cost\":\"n/a\",\"credits\":7}"))).contains(Tokens.of(7));
    }

    @Test
    void aDecimalWithManyDigitsStaysExact() {
        // 0.1 + 0.2 style: a double would not give 2.3 back exactly after scaling.
        assertThat(ResponseReader.cost(json("{\"cost\":2.300}"))).contains(Tokens.ofMilli(2300));
    }

    @Test
    void listsViolationsWithPathAndMessage() {
        JsonNode body = json("{\"error\":{\"message\":\"invalid input\"},\"violations\":["
                + "{\"path\":\"input.duration\",\"rule\":\"integer 3..15\",\"value\":\"99\",\"message\":\"must be 3 to 15 seconds\"},"
                + "\"prompt is required\"]}");
        assertThat(reader.violations(body))
                .containsExactly("input.duration: must be 3 to 15 seconds (got 99)", "prompt is required");
        assertThat(ResponseReader.message(body)).contains("invalid input");
    }

    @Test
    void notJsonIsNoTree() {
        assertThat(ResponseReader.tree("<html>bad gateway</html>")).isEmpty();
        assertThat(ResponseReader.tree("")).isEmpty();
        assertThat(ResponseReader.tree(null)).isEqualTo(Optional.empty());
    }

    // ---- hostile numbers, ids and texts ----------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"cost\":-5}", "{\"cost\":\"-0.001\"}", "{\"cost\":1000000.001}", "{\"cost\":2000000}",
            "{\"cost\":1e1000000}", "{\"cost\":\"1e1000000\"}", "{\"cost\":-1e1000000}", "{\"cost\":1e-1000000}",
            "{\"cost\":9223372036854775807}", "{\"cost\":92233720368547758070000}", "{\"cost\":true}",
            "{\"cost\":\"\"}", "{\"cost\":{\"amount\":21}}"})
    void aFigureThatCannotBeACostIsNoCost(String body) {
        // A negative cost used to throw in the worker's settle; 1e1000000 used to block the event loop for seconds.
        assertThat(ResponseReader.cost(json(body))).isEmpty();
    }

    @Test
    void theCostCeilingAndZeroAreCosts() {
        assertThat(ResponseReader.cost(json("{\"cost\":1000000}"))).contains(ResponseReader.MAX_REPORTED_COST);
        assertThat(ResponseReader.cost(json("{\"cost\":\"1e6\"}"))).contains(Tokens.of(1_000_000));
        assertThat(ResponseReader.cost(json("{\"cost\":0}"))).contains(Tokens.ZERO);
        assertThat(ResponseReader.cost(json("{\"cost\":-3,\"credits\":21}"))).as("the next name is tried")
                .contains(Tokens.of(21));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen_1_44izyv7n", "01HZX3K4Q9", "3f2b9c1e-8d7a-4e2b-9a41-5c0d7e8f9a1b", "ns:gen.42", "7"})
    void plausibleGenerationIdsAreUsable(String id) {
        assertThat(ResponseReader.isUsableId(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen 1", "gen/../x", "gén", "gen_1\n", "<script>", "gen?x=1"})
    void idsThatCannotNameAGenerationAreNotUsable(String id) {
        assertThat(ResponseReader.isUsableId(id)).isFalse();
        assertThat(ResponseReader.isUsableId("g".repeat(129))).isFalse();
        assertThat(ResponseReader.isUsableId("g".repeat(128))).isTrue();
    }

    @Test
    void aFailureReasonIsRedactedAndClipped() {
        String reason = "upstream rejected Authorization: Bearer " + SECRET + " because " + "x".repeat(2_000_000);
        GenerationStatus status = reader.status("gen_1", json("{\"status\":\"failed\",\"failureReason\":\"" + reason + "\"}"));

        assertThat(status.phase()).isEqualTo(Phase.FAILED);
        assertThat(status.failureReason()).doesNotContain(SECRET).startsWith("upstream rejected Authorization: Bearer ****")
                .hasSizeLessThanOrEqualTo(GivonText.MAX_FAILURE_REASON_CHARS + 1).endsWith("…");
    }

    @Test
    void aVideoUrlMustBeHttpAndOfSaneLengthElseTheNextOneOrNone() {
        assertThat(reader.status("gen_1", json("{\"status\":\"done\",\"videoUrl\":\"javascript:alert(1)\","
                + "\"output\":{\"url\":\"https://cdn/v.mp4\"}}")).videoUrl()).isEqualTo("https://cdn/v.mp4");
        assertThat(reader.status("gen_1", json("{\"status\":\"done\",\"videoUrl\":\"https://cdn/" + "v".repeat(3_000)
                + "\"}")).videoUrl()).isNull();
        assertThat(reader.status("gen_1", json("{\"status\":\"done\",\"videoUrl\":\"ftp://cdn/v.mp4\"}")).videoUrl()).isNull();
        assertThat(reader.status("gen_1", json("{\"status\":\"done\",\"videoUrl\":\"https://\"}")).videoUrl()).isNull();
        assertThat(reader.status("gen_1", json("{\"status\":\"done\",\"videoUrl\":\"http://v/1\"}")).videoUrl()).isEqualTo("http://v/1");
        assertThat(reader.status("gen_1", json("{\"status\":\"done\",\"url\":\"HTTPS://CDN/V.MP4\"}")).videoUrl())
                .isEqualTo("HTTPS://CDN/V.MP4");
        assertThat(reader.status("gen_1", json("{\"status\":\"done\",\"videoUrl\":\"https://cdn/v.mp4?key=" + SECRET
                + "\"}")).videoUrl()).isEqualTo("https://cdn/v.mp4?key=****");
    }

    @Test
    void aStatusWordIsBoundedAndAnOverlongOneIsRunning() {
        GenerationStatus status = reader.status("gen_1", json("{\"status\":\"" + "succeeded".repeat(1_000) + "\"}"));

        assertThat(status.phase()).isEqualTo(Phase.RUNNING);
        assertThat(status.rawStatus()).hasSizeLessThanOrEqualTo(GivonText.MAX_STATUS_WORD_CHARS + 1);
        assertThat(reader.status("gen_1", json("{\"status\":\"" + SECRET + "\"}")).rawStatus()).isEqualTo("****");
    }

    @Test
    void controlCharactersInGivonsWordsCannotForgeLogLines() {
        GenerationStatus status = reader.status("gen_1", json("{\"status\":\"failed\",\"error\":\"bad\\nERROR forged line\"}"));

        assertThat(status.failureReason()).isEqualTo("bad ERROR forged line");
    }

    @Test
    void structuredErrorCodesAreReadAsTextFromEveryKnownPlace() {
        assertThat(ResponseReader.errorCode(json("{\"code\":1102}"))).contains("1102");
        assertThat(ResponseReader.errorCode(json("{\"error\":{\"code\":\" 1101 \"}}"))).contains("1101");
        assertThat(ResponseReader.errorCode(json("{\"error_code\":\"1303\"}"))).contains("1303");
        assertThat(ResponseReader.errorCode(json("{\"data\":{\"code\":7}}"))).contains("7");
        assertThat(ResponseReader.errorCode(json("{\"code\":{\"x\":1},\"error\":{\"code\":\"c\"}}"))).contains("c");
        assertThat(ResponseReader.errorCode(json("{\"code\":\"" + "9".repeat(100) + "\"}"))).isEmpty();
        assertThat(ResponseReader.errorCode(json("{\"message\":\"1102\"}"))).isEmpty();
    }
}
