package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void shortTextIsKeptAndNullStaysNull() {
        assertThat(Texts.clip("salsa", 5)).isEqualTo("salsa");
        assertThat(Texts.clip(null, 5)).isNull();
    }

    @Test
    void longTextKeepsItsStartAndSaysHowLongItWas() {
        assertThat(Texts.clip("x".repeat(2_000_000), 10)).isEqualTo("xxxxxxxxxx…(2000000 chars)");
    }

    @Test
    void aClipNeverSplitsASurrogatePair() {
        String clipped = Texts.clip("💃".repeat(20), 3);
        assertThat(clipped).isEqualTo("💃💃💃…(20 chars)");
    }

    @Test
    void anErrorMessageInAResultIsBounded() {
        JobResult.Error error = JobResult.Error.of("GENERATION_FAILED", "reason ".repeat(100_000), false);
        assertThat(error.message().length()).isLessThan(JobResult.Error.MAX_MESSAGE_CHARS + 30);
    }
}
