package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

class ParseErrorTextTest {

    @Test
    void jacksonsRedactedSourceBecomesALineAndColumn() {
        JsonProcessingException error = catchThrowableOfType(JsonProcessingException.class, () -> Json.MAPPER.readTree("[[[["));

        assertThat(error.getOriginalMessage()).as("what Jackson itself says").contains("Source: REDACTED");
        assertThat(ParseErrorText.of(error))
                .isEqualTo("Unexpected end-of-input: expected close marker for Array (start marker at line 1, column 4)");
    }

    @Test
    void snakeYamlsSnippetAndMarksAreLeftOutAndTheRestIsOneLine() {
        String yaml = "while parsing a flow node\n in 'reader', line 2, column 1:\n    batchId: [\n    ^\n"
                + "expected the node content, but found '<stream end>'\n in 'reader', line 2, column 1:\n    \n    ^\n";

        assertThat(ParseErrorText.clean(yaml)).isEqualTo("while parsing a flow node: expected the node content, but found '<stream end>'");
    }

    @Test
    void aLongReasonIsBounded() {
        assertThat(ParseErrorText.clean("x".repeat(10_000))).hasSizeLessThan(ParseErrorText.MAX_CHARS + 20);
    }
}
