package dev.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ForkedKafkaBrokerTest {

    @Test
    void aKilledBrokerComesBackOnTheSameAddressWithItsRecords(@TempDir Path dir) {
        try (ForkedKafkaBroker broker = ForkedKafkaBroker.start(dir.resolve("kafka"))) {
            String address = broker.bootstrapServers();
            KafkaCluster kafka = broker.cluster();
            assertThat(kafka.source()).isEqualTo(KafkaCluster.Source.FORKED);
            kafka.createTopic("jobs", 2);
            kafka.produce(List.of(new ProducerRecord<>("jobs", "job-1", "before")));

            broker.kill();
            assertThat(broker.running()).isFalse();
            broker.restart();

            assertThat(broker.bootstrapServers()).isEqualTo(address);
            kafka.produce(List.of(new ProducerRecord<>("jobs", "job-2", "after")));
            assertThat(kafka.readAll("jobs")).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("before", "after");
        }
    }
}
