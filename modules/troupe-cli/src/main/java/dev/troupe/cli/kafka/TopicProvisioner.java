package dev.troupe.cli.kafka;

import dev.troupe.cli.config.TopicSpec;
import dev.troupe.cli.config.TopicsConfig;
import dev.troupe.cli.view.Numbers;
import dev.troupe.client.KafkaConnection;
import dev.troupe.client.KafkaUnreachableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Troupe's topics with their configured partitions, cleanup policy and retention. Idempotent:
 * a topic that exists is left as it is, and any difference from the configuration is reported (Kafka
 * cannot lower a partition count, and changing a live topic is an operator's decision).
 */
public final class TopicProvisioner {

    /** What happened to one topic. */
    public record Outcome(TopicSpec spec, boolean created, int partitions, String note) {
    }

    private TopicProvisioner() {
    }

    /**
     * @throws KafkaUnreachableException when Kafka does not answer
     * @throws IllegalStateException when Kafka refuses a topic (e.g. more replicas than brokers)
     */
    public static List<Outcome> create(KafkaConnection kafka, TopicsConfig topics) {
        Map<String, Object> config = kafka.clientConfig("troupe-topics");
        int timeout = (int) Math.min(Integer.MAX_VALUE, kafka.timeout().toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        try (Admin admin = Admin.create(config)) {
            Map<String, NewTopic> requests = new LinkedHashMap<>();
            for (TopicSpec spec : topics.all()) {
                Optional<Short> replicas = topics.replicationFactor() < 0 ? Optional.empty()
                        : Optional.of((short) topics.replicationFactor());
                requests.put(spec.name(), new NewTopic(spec.name(), Optional.of(spec.partitions()), replicas).configs(settings(spec)));
            }
            Map<String, KafkaFuture<Void>> created = admin.createTopics(requests.values()).values();
            List<Outcome> outcomes = new ArrayList<>();
            for (TopicSpec spec : topics.all()) {
                try {
                    await(created.get(spec.name()), kafka);
                    outcomes.add(new Outcome(spec, true, spec.partitions(), ""));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Kafka refused to create topic " + spec.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    outcomes.add(existing(admin, spec, kafka));
                }
            }
            awaitLeaders(admin, topics, kafka);
            return outcomes;
        }
    }

    /**
     * Until each partition's leader serves it: the controller names a leader before the broker has
     * created the partition, and records sent in between are refused and retried.
     */
    private static void awaitLeaders(Admin admin, TopicsConfig topics, KafkaConnection kafka) {
        List<String> names = topics.all().stream().map(TopicSpec::name).toList();
        // A busy broker may answer a topic the controller just created as unknown for a while: ask again
        // until it serves every partition, so that whoever reads the topics next finds them.
        long deadline = System.nanoTime() + kafka.timeout().toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                await(admin.describeTopics(names).allTopicNames(), kafka).values().forEach(description ->
                        description.partitions().forEach(p -> partitions.put(new TopicPartition(description.name(), p.partition()),
                                OffsetSpec.latest())));
                // The admin client retries a partition whose leader does not serve it yet, within its timeout.
                await(admin.listOffsets(partitions).all(), kafka);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    return; // not worth failing creation for: producers and readers retry the same way, only later
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Map<String, String> settings(TopicSpec spec) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy());
        if (!spec.compacted()) {
            settings.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionMillis()));
        }
        if (spec.brokerTime()) {
            settings.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        }
        return settings;
    }

    private static Outcome existing(Admin admin, TopicSpec spec, KafkaConnection kafka) {
        try {
            TopicDescription description = await(admin.describeTopics(List.of(spec.name())).topicNameValues().get(spec.name()), kafka);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            Config actual = await(admin.describeConfigs(List.of(resource)).values().get(resource), kafka);
            List<String> differences = new ArrayList<>();
            int partitions = description.partitions().size();
            if (partitions != spec.partitions()) {
                differences.add(Numbers.count(partitions, "partition") + " (configured " + spec.partitions() + ")");
            }
            String policy = value(actual, TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy != null && !policy.equals(spec.cleanupPolicy())) {
                differences.add("cleanup.policy=" + policy + " (configured " + spec.cleanupPolicy() + ")");
            }
            String retention = value(actual, TopicConfig.RETENTION_MS_CONFIG);
            if (!spec.compacted() && retention != null && !retention.equals(Long.toString(spec.retentionMillis()))) {
                differences.add("retention.ms=" + retention + " (configured " + spec.retentionMillis() + ")");
            }
            String timestamps = value(actual, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            if (spec.brokerTime() && timestamps != null && !timestamps.equals("LogAppendTime")) {
                differences.add("message.timestamp.type=" + timestamps + " (needed LogAppendTime)");
            }
            String note = differences.isEmpty() ? "" : "differs: " + String.join(", ", differences) + "; left unchanged";
            return new Outcome(spec, false, partitions, note);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe existing topic " + spec.name() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }

    private static <T> T await(KafkaFuture<T> future, KafkaConnection kafka) throws ExecutionException {
        try {
            return future.get(kafka.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "no answer while creating topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeout) {
                throw new KafkaUnreachableException(kafka, timeout.getMessage(), timeout);
            }
            throw e;
        }
    }
}
