package dev.troupe.worker.journal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before a worker journals anything: the state topic exists, has as many partitions as the jobs
 * topic (the journal of jobs partition p is state partition p), and is compacted (the latest entry of
 * each job is what a restore needs; a tombstone forgets a job). Blocking: not on an event loop.
 */
public final class JournalTopicCheck {

    private JournalTopicCheck() {
    }

    /**
     * @param timeout for the whole check
     * @throws IllegalStateException naming both topics, their partition counts and how to fix it, or
     *                               saying that Kafka did not answer within {@code timeout}
     */
    public static void verify(Admin admin, String jobsTopic, String stateTopic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(List.of(jobsTopic, stateTopic)).topicNameValues();
        Integer jobs = partitions(described.get(jobsTopic), jobsTopic, stateTopic, deadline, timeout);
        Integer state = partitions(described.get(stateTopic), jobsTopic, stateTopic, deadline, timeout);
        if (jobs == null) {
            throw new IllegalStateException("the jobs topic " + jobsTopic + " does not exist (the journal topic " + stateTopic + " "
                    + (state == null ? "does not either" : "has " + state + " partitions") + "): create the topics first, e.g. "
                    + "`troupe topics create`");
        }
        if (state == null) {
            throw new IllegalStateException("the journal topic " + stateTopic + " does not exist; it must be compacted with as many"
                    + " partitions as the jobs topic " + jobsTopic + " (" + jobs + "): create it with `troupe topics create`"
                    + " (topics.state.partitions defaults to topics.jobs.partitions), or set journal.enabled: false to run without"
                    + " a journal");
        }
        if (!jobs.equals(state)) {
            throw new IllegalStateException("the journal topic " + stateTopic + " has " + state + " partitions and the jobs topic "
                    + jobsTopic + " has " + jobs + ": they must be equal (the journal of jobs partition p is state partition p)."
                    + " Set topics.state.partitions equal to topics.jobs.partitions (" + jobs + ") and "
                    + (state < jobs ? "raise " + stateTopic + " to " + jobs + " partitions (kafka-topics --alter --partitions "
                            + jobs + "; entries already written stay where they are, as they should)" : "recreate " + stateTopic + " with `troupe topics create`"
                            + " (Kafka cannot lower a partition count)"));
        }
        String policy = cleanupPolicy(admin, jobsTopic, stateTopic, deadline, timeout);
        boolean compacted = policy != null && Arrays.stream(policy.split(",")).map(String::trim).anyMatch("compact"::equals);
        if (!compacted) {
            throw new IllegalStateException("the journal topic " + stateTopic + " (" + state + " partitions, like the jobs topic "
                    + jobsTopic + " with " + jobs + ") has cleanup.policy=" + policy + ", not compact: old entries would expire"
                    + " by time and forgotten jobs would never go. Recreate it with `troupe topics create`, or set it with"
                    + " kafka-configs --alter --entity-type topics --entity-name " + stateTopic + " --add-config cleanup.policy=compact");
        }
    }

    /** The topic's partition count, or null when it does not exist. */
    private static Integer partitions(KafkaFuture<TopicDescription> description, String jobsTopic, String stateTopic, long deadline,
                                      Duration timeout) {
        try {
            return await(description, jobsTopic, stateTopic, deadline, timeout).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw failed(jobsTopic, stateTopic, e.getCause());
        }
    }

    private static String cleanupPolicy(Admin admin, String jobsTopic, String stateTopic, long deadline, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, stateTopic);
        try {
            Config config = await(admin.describeConfigs(List.of(resource)).values().get(resource), jobsTopic, stateTopic, deadline,
                    timeout);
            ConfigEntry entry = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            return entry == null ? null : entry.value();
        } catch (ExecutionException e) {
            throw failed(jobsTopic, stateTopic, e.getCause());
        }
    }

    private static IllegalStateException failed(String jobsTopic, String stateTopic, Throwable cause) {
        return new IllegalStateException("checking the journal topic " + stateTopic + " against the jobs topic " + jobsTopic
                + " failed: " + cause, cause);
    }

    private static <T> T await(KafkaFuture<T> future, String jobsTopic, String stateTopic, long deadline, Duration timeout)
            throws ExecutionException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout + " while checking the journal topic "
                    + stateTopic + " against the jobs topic " + jobsTopic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the journal topic " + stateTopic, e);
        }
    }
}
