package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PollBackoffTest {

    @Test
    void ceilingGrowsExponentiallyUpToTheMaximum() {
        PollBackoff backoff = PollBackoff.DEFAULT;
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void fullJitterDrawsAcrossTheWholeRange() {
        PollBackoff backoff = PollBackoff.DEFAULT;
        SplittableRandom random = new SplittableRandom(7);
        Duration shortest = Duration.ofDays(1);
        Duration longest = Duration.ZERO;
        for (int i = 0; i < 2_000; i++) {
            Duration delay = backoff.delay(5, random);
            assertThat(delay).isBetween(Duration.ZERO, Duration.ofSeconds(30));
            shortest = delay.compareTo(shortest) < 0 ? delay : shortest;
            longest = delay.compareTo(longest) > 0 ? delay : longest;
        }
        assertThat(shortest).isLessThan(Duration.ofSeconds(1));
        assertThat(longest).isGreaterThan(Duration.ofSeconds(29));
    }

    @Test
    void rejectsNonsenseNamingTheField() {
        assertThatThrownBy(() -> new PollBackoff(Duration.ZERO, Duration.ofSeconds(1), 2.0))
                .hasMessageContaining("pollBackoff.initial");
        assertThatThrownBy(() -> new PollBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0))
                .hasMessageContaining("pollBackoff.max");
        assertThatThrownBy(() -> new PollBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5))
                .hasMessageContaining("pollBackoff.multiplier");
        assertThatThrownBy(() -> new PollBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN))
                .hasMessageContaining("pollBackoff.multiplier");
    }
}
