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
        GenerationStatus status = ResponseReader.status("gen_1", json("{\"id\":\"gen_1\"}"));
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
        GenerationStatus status = ResponseReader.status("gen_1", json(body));
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
        GenerationStatus status = ResponseReader.status("gen_1", json(body));
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
        assertThat(ResponseReader.violations(body))
                .containsExactly("input.duration: must be 3 to 15 seconds (got 99)", "prompt is required");
        assertThat(ResponseReader.message(body)).contains("invalid input");
    }

    @Test
    void notJsonIsNoTree() {
        assertThat(ResponseReader.tree("<html>bad gateway</html>")).isEmpty();
        assertThat(ResponseReader.tree("")).isEmpty();
        assertThat(ResponseReader.tree(null)).isEqualTo(Optional.empty());
    }
}
