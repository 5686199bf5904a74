package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollStartTest {

    @Test
    void defaultsLearnWithinOneSecondAndFiveMinutes() {
        assertThat(GivonConfig.builder().apiKey("k").build().pollStart())
                .isEqualTo(new PollStart(true, Duration.ofSeconds(1), Duration.ofMinutes(5)));
        assertThat(PollStart.DEFAULT.learning(false).learn()).isFalse();
    }

    @Test
    void rejectsNonsenseNamingTheField() {
        assertThatThrownBy(() -> new PollStart(true, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("pollStart.floor");
        assertThatThrownBy(() -> new PollStart(true, null, Duration.ofSeconds(1)))
                .hasMessageContaining("pollStart.floor");
        assertThatThrownBy(() -> new PollStart(true, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("pollStart.ceiling must be >= pollStart.floor");
        assertThatThrownBy(() -> GivonConfig.builder().apiKey("k").pollStart(null).build())
                .hasMessageContaining("pollStart");
    }
}
