package dev.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.troupe.kafka.embedded.EmbeddedKafkaBroker;

class KafkaClusterProvisioningTest {

    @Test
    void aClusterNamedByTheEnvironmentIsUsedAndLeftRunning() {
        try (EmbeddedKafkaBroker running = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            SharedKafkaCluster shared = KafkaClusterProvisioning.provision(
                    Map.of(KafkaClusterProvisioning.BOOTSTRAP_ENV, " " + running.bootstrapServers() + " "));
            KafkaCluster kafka = shared.cluster();
            assertThat(kafka.source()).isEqualTo(KafkaCluster.Source.EXTERNAL);
            assertThat(kafka.bootstrapServers()).isEqualTo(running.bootstrapServers());
            String topic = kafka.uniqueTopic("jobs");
            kafka.createTopic(topic, 1);
            kafka.produce(topic, "job-1", "queued");

            shared.close();

            running.createTopics(Map.of("after-close", 1));
            assertThat(new KafkaCluster(KafkaCluster.Source.EXTERNAL, running.bootstrapServers()).readAll(topic))
                    .extracting(ConsumerRecord::value).containsExactly("queued");
        }
    }
}
