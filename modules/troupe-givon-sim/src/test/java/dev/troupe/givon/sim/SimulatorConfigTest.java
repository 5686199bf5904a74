package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.model.Tokens;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void defaultsDescribeAWellBehavedLocalGivon() {
        SimulatorConfig config = SimulatorConfig.defaults();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.apiKeys()).containsExactly("sim-key");
        assertThat(config.generationTime()).isEqualTo(new GenerationTime(
                Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(180)));
        assertThat(config.timeCompression()).isEqualTo(1000);
        assertThat(config.faults()).isEqualTo(Faults.NONE);
        assertThat(config.faults().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.faults().honourIdempotencyKey()).isFalse();
        assertThat(config.faults().refundFailed()).isFalse();
        assertThat(config.faults().balance()).isEmpty();
        assertThat(config.catalog().find("kling-3.0-motion")).isPresent();
    }

    @Test
    void invalidValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> SimulatorConfig.builder().timeCompression(0.5).build())
                .hasMessageContaining("timeCompression");
        assertThatThrownBy(() -> SimulatorConfig.builder().serverErrorRate(1.5).build())
                .hasMessageContaining("serverErrorRate");
        assertThatThrownBy(() -> SimulatorConfig.builder().unansweredRate(Double.NaN).build())
                .hasMessageContaining("unansweredRate");
        assertThatThrownBy(() -> SimulatorConfig.builder().failureRate(-0.1).build())
                .hasMessageContaining("failureRate");
        assertThatThrownBy(() -> SimulatorConfig.builder().port(70_000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> SimulatorConfig.builder().concurrencyCapPerKey(-1).build())
                .hasMessageContaining("concurrencyCapPerKey");
        assertThatThrownBy(() -> SimulatorConfig.builder().tokenBalance(Tokens.of(-1)).build())
                .hasMessageContaining("tokenBalance");
        assertThatThrownBy(() -> SimulatorConfig.builder().retryAfter(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("retryAfter");
        assertThatThrownBy(() -> SimulatorConfig.builder().apiKeys(Set.of()).build()).hasMessageContaining("apiKeys");
        assertThatThrownBy(() -> SimulatorConfig.builder().generationTime(
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(20)).build())
                .hasMessageContaining("generationTime.median");
    }

    @Test
    void keysNeverShowInTheConfigurationText() {
        SimulatorConfig config = SimulatorConfig.builder().apiKeys("s3cret-key").forbiddenKeys("old-s3cret").build();

        assertThat(config.toString()).doesNotContain("s3cret").contains("1 key(s)");
        assertThatThrownBy(() -> SimulatorConfig.builder().apiKeys("a-s3cret").forbiddenKeys("a-s3cret").build())
                .hasMessageContaining("forbiddenKeys").message().doesNotContain("s3cret");
    }

    @Test
    void generationTimesStayWithinBoundsAroundTheMedian() {
        GenerationTime time = GenerationTime.DEFAULT;
        Random random = new Random(1);

        long[] seconds = IntStream.range(0, 2000).mapToLong(i -> time.sample(random).toSeconds()).sorted().toArray();

        assertThat(seconds[0]).isGreaterThanOrEqualTo(30);
        assertThat(seconds[seconds.length - 1]).isLessThanOrEqualTo(180);
        assertThat(seconds[seconds.length / 2]).isBetween(80L, 100L);
        assertThat(GenerationTime.fixed(Duration.ofSeconds(90)).sample(random)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void faultsChangeThroughTheirBuilderAndKeepTheRest() {
        Faults faults = Faults.builder().concurrencyCapPerKey(3).dialect(Dialect.MIXED).build();

        Faults changed = faults.toBuilder().concurrencyCapPerKey(0).build();

        assertThat(changed.concurrencyCapPerKey()).isZero();
        assertThat(changed.dialect()).isEqualTo(Dialect.MIXED);
    }
}
