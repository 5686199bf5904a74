package dev.troupe.worker.journal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The start-up check of the journal topic against the jobs topic, on the real broker. */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalTopicCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aCompactedStateTopicWithTheJobsTopicsPartitionCountPasses(KafkaCluster cluster) {
        JournalTopics topics = JournalTopics.create(cluster);

        assertThatCode(() -> JournalTopicCheck.verify(cluster.admin(), topics.jobs, topics.state, TIMEOUT)).doesNotThrowAnyException();
    }

    @Test
    void compactAndDeleteTogetherPass(KafkaCluster cluster) {
        JournalTopics topics = JournalTopics.names(cluster);
        topics.createJobs(3);
        topics.createState(3, "compact,delete");

        assertThatCode(() -> JournalTopicCheck.verify(cluster.admin(), topics.jobs, topics.state, TIMEOUT)).doesNotThrowAnyException();
    }

    @Test
    void fewerStatePartitionsThanJobPartitionsNameBothTopicsBothCountsAndTheFix(KafkaCluster cluster) {
        JournalTopics topics = JournalTopics.names(cluster);
        topics.createJobs(6);
        topics.createState(3, "compact");

        assertThatThrownBy(() -> JournalTopicCheck.verify(cluster.admin(), topics.jobs, topics.state, TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the journal topic " + topics.state + " has 3 partitions and the jobs topic " + topics.jobs
                        + " has 6: they must be equal")
                .hasMessageContaining("Set topics.state.partitions equal to topics.jobs.partitions (6)")
                .hasMessageContaining("raise " + topics.state + " to 6 partitions");
    }

    @Test
    void moreStatePartitionsThanJobPartitionsAreAMismatchToo(KafkaCluster cluster) {
        JournalTopics topics = JournalTopics.names(cluster);
        topics.createJobs(2);
        topics.createState(4, "compact");

        assertThatThrownBy(() -> JournalTopicCheck.verify(cluster.admin(), topics.jobs, topics.state, TIMEOUT))
                .hasMessageStartingWith("the journal topic " + topics.state + " has 4 partitions and the jobs topic " + topics.jobs
                        + " has 2")
                .hasMessageContaining("recreate " + topics.state + " with `troupe topics create`");
    }

    @Test
    void aMissingStateTopicIsNamedWithTheJobsTopicAndHowToCreateIt(KafkaCluster cluster) {
        JournalTopics topics = JournalTopics.names(cluster);
        topics.createJobs(6);

        assertThatThrownBy(() -> JournalTopicCheck.verify(cluster.admin(), topics.jobs, topics.state, TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the journal topic " + topics.state + " does not exist; it must be compacted with as many"
                        + " partitions as the jobs topic " + topics.jobs + " (6)")
                .hasMessageContaining("`troupe topics create`")
                .hasMessageContaining("journal.enabled: false");
    }

    @Test
    void aMissingJobsTopicIsNamed(KafkaCluster cluster) {
        JournalTopics topics = JournalTopics.names(cluster);
        topics.createState(6, "compact");

        assertThatThrownBy(() -> JournalTopicCheck.verify(cluster.admin(), topics.jobs, topics.state, TIMEOUT))
                .hasMessage("the jobs topic " + topics.jobs + " does not exist (the journal topic " + topics.state
                        + " has 6 partitions): create the topics first, e.g. `troupe topics create`");
    }

    @Test
    void aStateTopicThatIsNotCompactedIsRefusedWithBothTopicsAndCounts(KafkaCluster cluster) {
        JournalTopics topics = JournalTopics.names(cluster);
        topics.createJobs(6);
        topics.createState(6, "delete");

        assertThatThrownBy(() -> JournalTopicCheck.verify(cluster.admin(), topics.jobs, topics.state, TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the journal topic " + topics.state + " (6 partitions, like the jobs topic " + topics.jobs
                        + " with 6) has cleanup.policy=delete, not compact")
                .hasMessageContaining("--add-config cleanup.policy=compact");
    }
}
