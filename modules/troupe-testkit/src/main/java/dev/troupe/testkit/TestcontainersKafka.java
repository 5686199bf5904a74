package dev.troupe.testkit;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** The Testcontainers path, kept apart so a missing Docker (or Testcontainers) never breaks a test. */
final class TestcontainersKafka {

    private TestcontainersKafka() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static SharedKafkaCluster start() {
        // The broker matches the clients' version.
        KafkaContainer container = new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion())
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        return new SharedKafkaCluster(
                new KafkaCluster(KafkaCluster.Source.TESTCONTAINERS, container.getBootstrapServers()), container::stop);
    }
}
