package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.model.Tokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorFlagsTest {

    @Test
    void everyFlagReachesTheConfiguration() {
        SimulatorConfig config = SimulatorFlags.parse(
                "--host", "0.0.0.0", "--port", "9000", "--api-key", "k1", "--api-key=k2", "--forbidden-key", "k3",
                "--generation-time", "10s,1m,2m", "--time-compression", "50",
                "--server-error-rate", "0.05", "--server-error-after-create-share", "0.5", "--retry-after-on-503",
                "--unanswered-rate", "0.01", "--drop-before-create", "--garbled-status-rate", "0.02",
                "--failure-rate", "0.1", "--unknown-status-rate", "0.2", "--concurrency-cap", "8",
                "--retry-after", "1500ms", "--retry-after-format", "http-date", "--token-balance", "5000.5",
                "--refund-failed", "--honour-idempotency-key", "--dialect", "mixed", "--seed", "9").orElseThrow();

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.apiKeys()).containsExactlyInAnyOrder("k1", "k2");
        assertThat(config.forbiddenKeys()).containsExactly("k3");
        assertThat(config.generationTime()).isEqualTo(new GenerationTime(
                Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(2)));
        assertThat(config.timeCompression()).isEqualTo(50);
        assertThat(config.seed()).isEqualTo(9);
        assertThat(config.faults()).isEqualTo(new Faults(0.05, 0.5, true, 0.01, true, 0.1, 0.2, 0.02, 8, Duration.ofMillis(1500),
                RetryAfterFormat.HTTP_DATE, Tokens.parse("5000.5"), true, true, Dialect.MIXED));
    }

    @Test
    void noFlagsGiveTheDefaultsOnPort8089() {
        SimulatorConfig config = SimulatorFlags.parse().orElseThrow();

        assertThat(config.port()).isEqualTo(8089);
        assertThat(config.apiKeys()).containsExactly(SimulatorConfig.DEFAULT_API_KEY);
        assertThat(config.faults()).isEqualTo(Faults.NONE);
        assertThat(SimulatorFlags.parse("--generation-time", "PT90S").orElseThrow().generationTime())
                .isEqualTo(GenerationTime.fixed(Duration.ofSeconds(90)));
    }

    @Test
    void helpIsAskedForRatherThanAConfiguration() {
        assertThat(SimulatorFlags.parse("--port", "1", "--help")).isEmpty();
        assertThat(SimulatorFlags.usage()).contains("--server-error-rate", "--time-compression", "--api-key");
    }

    @Test
    void badFlagsAreNamed() {
        assertThatThrownBy(() -> SimulatorFlags.parse("--colour", "red")).hasMessageStartingWith("--colour");
        assertThatThrownBy(() -> SimulatorFlags.parse("--port")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> SimulatorFlags.parse("--port", "eighty")).hasMessageStartingWith("--port");
        assertThatThrownBy(() -> SimulatorFlags.parse("--retry-after", "soon")).hasMessageStartingWith("--retry-after");
        assertThatThrownBy(() -> SimulatorFlags.parse("--dialect", "klingon"))
                .hasMessage("--dialect: expected one of standard, mixed, got klingon");
        assertThatThrownBy(() -> SimulatorFlags.parse("--failure-rate", "2"))
                .hasMessageContaining("failureRate");
    }
}
