package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsTheShortFormsAndIso8601() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse(" 30 s ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("2H")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationText.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void writesTheShortestExactForm() {
        assertThat(DurationText.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationText.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(DurationText.format(Duration.ofDays(1))).isEqualTo("1d");
    }

    @Test
    void anythingElseIsRefusedWithTheFormsThatWork() {
        assertThatThrownBy(() -> DurationText.parse("five minutes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("250ms, 30s, 5m, 2h, 1d or PT30S");
    }
}
