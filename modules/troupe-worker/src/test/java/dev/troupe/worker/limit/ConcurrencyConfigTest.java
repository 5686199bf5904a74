package dev.troupe.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConcurrencyConfigTest {

    @Test
    void defaultsHalveOnRateLimitAndAddOnePerSuccess() {
        ConcurrencyConfig config = ConcurrencyConfig.withMaxConcurrency(64);

        assertThat(config.maxConcurrency()).isEqualTo(64);
        assertThat(config.decreaseFactor()).isEqualTo(0.5);
        assertThat(config.additiveIncrease()).isEqualTo(1);
        assertThat(config.minDecreaseInterval()).isEqualTo(ConcurrencyConfig.DEFAULT_MIN_DECREASE_INTERVAL);
        assertThat(config.maxPause()).isEqualTo(ConcurrencyConfig.DEFAULT_MAX_PAUSE);
    }

    @Test
    void maxConcurrencyMustBeBetweenOneAndFiveThousand() {
        assertThat(ConcurrencyConfig.withMaxConcurrency(1).maxConcurrency()).isEqualTo(1);
        assertThat(ConcurrencyConfig.withMaxConcurrency(5_000).maxConcurrency()).isEqualTo(5_000);

        assertThatThrownBy(() -> ConcurrencyConfig.withMaxConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrency must be between 1 and 5000, was 0");
        assertThatThrownBy(() -> ConcurrencyConfig.withMaxConcurrency(5_001))
                .hasMessage("maxConcurrency must be between 1 and 5000, was 5001");
    }

    @Test
    void everyOtherFieldIsNamedWhenInvalid() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new ConcurrencyConfig(8, 1.0, 1, second, second))
                .hasMessageStartingWith("decreaseFactor ");
        assertThatThrownBy(() -> new ConcurrencyConfig(8, 0.0, 1, second, second))
                .hasMessageStartingWith("decreaseFactor ");
        assertThatThrownBy(() -> new ConcurrencyConfig(8, Double.NaN, 1, second, second))
                .hasMessageStartingWith("decreaseFactor ");
        assertThatThrownBy(() -> new ConcurrencyConfig(8, 0.5, 0, second, second))
                .hasMessage("additiveIncrease must be at least 1, was 0");
        assertThatThrownBy(() -> new ConcurrencyConfig(8, 0.5, 1, Duration.ofMillis(-1), second))
                .hasMessageStartingWith("minDecreaseInterval ");
        assertThatThrownBy(() -> new ConcurrencyConfig(8, 0.5, 1, null, second))
                .hasMessageStartingWith("minDecreaseInterval ");
        assertThatThrownBy(() -> new ConcurrencyConfig(8, 0.5, 1, second, Duration.ZERO))
                .hasMessageStartingWith("maxPause ");
    }
}
