package dev.troupe.worker.journal;

import dev.troupe.givon.GivonConfig;
import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalDecodeResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.worker.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** A test's own jobs and state topics on the shared broker, and a worker configuration naming them. */
final class JournalTopics {

    static final int PARTITIONS = 6;

    final KafkaCluster cluster;
    final String jobs;
    final String state;

    private JournalTopics(KafkaCluster cluster, String jobs, String state) {
        this.cluster = cluster;
        this.jobs = jobs;
        this.state = state;
    }

    /** A jobs topic and a compacted state topic of {@value #PARTITIONS} partitions each, leaders elected. */
    static JournalTopics create(KafkaCluster cluster) {
        JournalTopics topics = names(cluster);
        topics.createJobs(PARTITIONS);
        topics.createState(PARTITIONS, "compact");
        return topics;
    }

    /** Fresh names, no topics yet. */
    static JournalTopics names(KafkaCluster cluster) {
        return new JournalTopics(cluster, cluster.uniqueTopic("jobs"), cluster.uniqueTopic("state"));
    }

    void createJobs(int partitions) {
        create(jobs, partitions, "delete");
    }

    void createState(int partitions, String cleanupPolicy) {
        create(state, partitions, cleanupPolicy);
    }

    private void create(String topic, int partitions, String cleanupPolicy) {
        try {
            cluster.admin().createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy)))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + topic, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + topic, e);
        }
        cluster.createTopic(topic, partitions); // exists: waits until every partition's leader serves it
    }

    WorkerConfig workerConfig(Duration retention) {
        return WorkerConfig.builder(cluster.bootstrapServers(), GivonConfig.builder().apiKey("journal-test-key").build())
                .topics(new WorkerConfig.Topics(jobs, "results-unused", "dlq-unused", state))
                .journal(new WorkerConfig.Journal(true, retention))
                .build();
    }

    /** The entry a state record holds, or null for a tombstone. */
    static JournalEntry entry(String value) {
        if (value == null) {
            return null;
        }
        JournalDecodeResult decoded = JournalCodec.defaults().decode(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (decoded instanceof JournalDecodeResult.Decoded d) {
            return d.entry();
        }
        throw new AssertionError("not an entry: " + decoded);
    }
}
