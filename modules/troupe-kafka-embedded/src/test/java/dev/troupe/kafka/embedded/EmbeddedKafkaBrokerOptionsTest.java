package dev.troupe.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddedKafkaBrokerOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"listeners", "advertised.listeners", "log.dirs", "node.id", "controller.quorum.voters", "num.partitions"})
    void derivedSettingsCannotBeOverridden(String key) {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.Options.defaults().withBrokerProperty(key, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @Test
    void otherBrokerSettingsAreAppliedOverTheBuiltInOnes() {
        var options = EmbeddedKafkaBroker.Options.defaults().withBrokerProperty("auto.create.topics.enable", "false");

        var properties = KRaftNode.properties(java.nio.file.Path.of("/data"), 9092, 9093,
                options.defaultPartitions(), options.brokerProperties());

        assertThat(properties)
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092");
    }

    @Test
    void invalidValuesAreRejectedWithTheValue() {
        var defaults = EmbeddedKafkaBroker.Options.defaults();
        assertThatThrownBy(() -> defaults.withClientPort(70_000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> defaults.withDefaultPartitions(0)).hasMessageContaining("defaultPartitions");
        assertThatThrownBy(() -> defaults.withStartTimeout(Duration.ZERO)).hasMessageContaining("startTimeout");
    }
}
