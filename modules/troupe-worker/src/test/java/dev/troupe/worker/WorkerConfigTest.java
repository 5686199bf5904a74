package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.givon.GivonConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The consumer's poll interval must outlast the longest grace: the consumer thread waits out a grace
 * inside the rebalance callback or the shutdown, and a member silent for longer than
 * max.poll.interval.ms is dropped from the group, its commit refused and its jobs run again elsewhere.
 */
class WorkerConfigTest {

    private final GivonConfig givon = GivonConfig.builder().baseUrl("http://127.0.0.1:1").apiKey("test-key").build();

    @Test
    void theDefaultGracesAreSecondsAndLeaveKafkasPollIntervalAlone() {
        WorkerConfig config = WorkerConfig.builder("127.0.0.1:9092", givon).build();

        // The journal hands generations over: a hand-back waits for answers on the wire and publishes only.
        assertThat(config.revocationGrace()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.journal()).isEqualTo(WorkerConfig.Journal.DEFAULT);
        assertThat(config.journal().retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void eventLoopsAreOneByDefaultAndOneToSixtyFour() {
        assertThat(WorkerConfig.builder("127.0.0.1:9092", givon).build().eventLoops()).isEqualTo(1);
        assertThat(WorkerConfig.builder("127.0.0.1:9092", givon).eventLoops(64).build().eventLoops()).isEqualTo(64);
        for (int bad : new int[] {0, -1, 65}) {
            assertThatThrownBy(() -> WorkerConfig.builder("127.0.0.1:9092", givon).eventLoops(bad).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("worker.event-loops must be 1 to 64, got " + bad);
        }
    }

    @Test
    void thePollIntervalIsKafkasDefaultUnlessAGraceNeedsMore() {
        WorkerConfig shortGraces = WorkerConfig.builder("127.0.0.1:9092", givon)
                .revocationGrace(Duration.ofSeconds(20)).shutdownGrace(Duration.ofSeconds(20)).build();
        WorkerConfig longRevocation = WorkerConfig.builder("127.0.0.1:9092", givon)
                .revocationGrace(Duration.ofMinutes(10)).shutdownGrace(Duration.ofSeconds(20)).build();

        assertThat(shortGraces.maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(longRevocation.maxPollInterval()).isEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void anExplicitPollIntervalIsKeptWhenItOutlastsTheGraces() {
        WorkerConfig config = WorkerConfig.builder("127.0.0.1:9092", givon)
                .kafkaProperty("max.poll.interval.ms", "900000").build();

        assertThat(config.maxPollInterval()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void anExplicitPollIntervalShorterThanAGraceIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> WorkerConfig.builder("127.0.0.1:9092", givon)
                .shutdownGrace(Duration.ofMinutes(5)).kafkaProperty("max.poll.interval.ms", "300000").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.max.poll.interval.ms")
                .hasMessageContaining("worker.shutdown-grace")
                .hasMessageContaining("at least 360000");
        assertThatThrownBy(() -> WorkerConfig.builder("127.0.0.1:9092", givon)
                .kafkaProperty("max.poll.interval.ms", "five minutes").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.max.poll.interval.ms must be a whole number of milliseconds");
    }
}
