package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaClusterExtension.class)
class TopicsCreateCommandTest {

    @TempDir
    Path dir;

    @Test
    void createsEveryTopicAsConfiguredAndLeavesThemAloneTheSecondTime(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir);

        CliRun.Result first = CliRun.run("topics", "create", "--config", topics.config().toString());
        CliRun.Result second = CliRun.run("topics", "create", "--config", topics.config().toString());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).containsPattern(topics.jobs() + " +3 +delete +1d +created")
                .containsPattern(topics.state() + " +3 +compact +- +created");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).containsPattern(topics.jobs() + " +3 +delete +1d +exists");
        Map<String, TopicDescription> described = kafka.admin().describeTopics(List.of(topics.jobs(), topics.results(),
                topics.state(), topics.dlq())).allTopicNames().get(10, TimeUnit.SECONDS);
        assertThat(described.get(topics.jobs()).partitions()).hasSize(3);
        assertThat(described.get(topics.results()).partitions()).hasSize(2);
        assertThat(topicConfig(kafka, topics.state()).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(topicConfig(kafka, topics.jobs()).get("retention.ms").value()).isEqualTo("86400000");
        assertThat(topicConfig(kafka, topics.results()).get("retention.ms").value()).isEqualTo("-1");
    }

    @Test
    void anExistingTopicThatDiffersIsReportedNotChanged(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir);
        kafka.createTopic(topics.jobs(), 1);

        CliRun.Result create = CliRun.run("topics", "create", "--config", topics.config().toString());

        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.out()).contains("exists, differs: 1 partition (configured 3)");
        assertThat(kafka.admin().describeTopics(List.of(topics.jobs())).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topics.jobs()).partitions()).hasSize(1);
    }

    private static Config topicConfig(KafkaCluster kafka, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return kafka.admin().describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
    }
}
