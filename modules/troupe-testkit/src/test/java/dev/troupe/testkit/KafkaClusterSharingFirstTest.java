package dev.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;

@ExtendWith(KafkaClusterExtension.class)
class KafkaClusterSharingFirstTest {

    @Test
    void everyClassGetsTheOneClusterOfThisJvm(KafkaCluster kafka) {
        assertThat(SeenClusters.see(kafka)).isEqualTo(1);
        assertThat(KafkaClusterExtension.starts()).isEqualTo(1);
    }

    @Test
    void withoutAnExternalClusterOrDockerTheClusterRunsInThisJvm(KafkaCluster kafka) {
        if (System.getenv(KafkaClusterProvisioning.BOOTSTRAP_ENV) != null) {
            assertThat(kafka.source()).isEqualTo(KafkaCluster.Source.EXTERNAL);
        } else if (DockerClientFactory.instance().isDockerAvailable()) {
            assertThat(kafka.source()).isEqualTo(KafkaCluster.Source.TESTCONTAINERS);
        } else {
            assertThat(kafka.source()).isEqualTo(KafkaCluster.Source.EMBEDDED);
        }
        assertThat(kafka.bootstrapServers()).isNotBlank();
    }

    @Test
    void producedRecordsAreReadBackInPartitionOrder(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("jobs");
        kafka.createTopic(topic, 2);

        kafka.produce(List.of(
                new ProducerRecord<>(topic, 1, "job-b", "b1"),
                new ProducerRecord<>(topic, 0, "job-a", "a1"),
                new ProducerRecord<>(topic, 1, "job-b", "b2")));
        kafka.produce(topic, "job-c", "c1");

        List<ConsumerRecord<String, String>> records = kafka.readAll(topic);
        assertThat(records).extracting(ConsumerRecord::value).contains("a1", "b1", "b2", "c1").hasSize(4);
        assertThat(records.stream().filter(r -> r.partition() == 1).map(ConsumerRecord::value))
                .containsSubsequence("b1", "b2");
        assertThat(records).extracting(ConsumerRecord::partition).isSorted();
    }

    @Test
    void uniqueTopicsDoNotCollide(KafkaCluster kafka) {
        assertThat(kafka.uniqueTopic("results")).startsWith("results-").isNotEqualTo(kafka.uniqueTopic("results"));
        assertThatThrownBy(() -> kafka.uniqueTopic("no spaces")).hasMessageContaining("no spaces");
    }

    @Test
    void creatingAnExistingTopicKeepsIt(KafkaCluster kafka) throws Exception {
        String topic = kafka.uniqueTopic("state");
        kafka.createTopic(topic, 3);
        kafka.createTopic(topic, 1);

        assertThat(kafka.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
    }

    @Test
    void readingAMissingTopicSaysSo(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("missing");

        assertThatThrownBy(() -> kafka.readAll(topic)).hasMessageContaining(topic).hasMessageContaining("does not exist");
    }
}
