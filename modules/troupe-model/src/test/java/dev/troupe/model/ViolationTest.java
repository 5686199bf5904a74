package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViolationTest {

    @Test
    void aMegabyteValueIsDisplayedShort() {
        Violation violation = Violation.of("input.motionVideo", "max data uri size", "A".repeat(1_000_000), "too big");

        assertThat(violation.value()).startsWith("A".repeat(80)).endsWith("…(1000000 chars)").hasSizeLessThan(100);
        assertThat(violation.toString()).hasSizeLessThan(150).contains("input.motionVideo").contains("too big");
    }

    @Test
    void shortValuesAreKeptWhole() {
        assertThat(Violation.of("input.duration", "range 3..15", 16L, "m").value()).isEqualTo("16");
        assertThat(Violation.of("p", "r", "x".repeat(80), "m").value()).isEqualTo("x".repeat(80));
        assertThat(Violation.of("p", "required", null, "m").value()).isNull();
    }

    @Test
    void truncationNeverSplitsACharacter() {
        String emoji = "\uD83D\uDC83";

        String shown = Violation.of("input.prompt", "max 2500 code points", emoji.repeat(3000), "m").value();

        assertThat(shown).startsWith(emoji.repeat(80)).endsWith("…(3000 chars)");
        assertThat(shown.codePoints().filter(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE).count()).isZero();
    }

    @Test
    void aMessageThatShowsTheValueIsNotFollowedByItAgain() {
        assertThat(Violation.of("input.duration", "range 3..15", 99L, "duration must be within 3..15, got 99").toString())
                .isEqualTo("input.duration: duration must be within 3..15, got 99");
    }

    @Test
    void toStringReadsAsASentence() {
        assertThat(Violation.of("input.duration", "range 3..15", 16, "duration must be within 3..15").toString())
                .isEqualTo("input.duration: duration must be within 3..15 (got 16)");
    }
}
