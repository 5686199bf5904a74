package dev.troupe.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before a worker starts: the broker answers, its topics exist, and every partition is served by
 * its leader. A topic created moments ago has a leader in metadata before the broker serves the
 * partition; an idempotent producer sending into that gap was seen to loop on
 * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (Kafka 4.4). It also reads each topic's
 * {@code max.message.bytes}: a record over it makes the broker refuse the whole batch it is in, which
 * in a transaction aborts the transaction, so outcomes are cut to fit before they are sent.
 */
final class TopicCheck {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TopicCheck.class);

    private TopicCheck() {
    }

    /**
     * Whether a topic the worker can do without exists; when it does not, a WARN says what is missing
     * ({@code without}) and how to create it.
     */
    static boolean optional(Admin admin, String topic, String key, String without, Duration timeout) {
        try {
            boolean exists = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
            if (!exists) {
                log.warn("topic {} ({}) does not exist: {}; create it with: troupe topics create", topic, key, without);
            }
            return exists;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics to find " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for " + topic, e);
        }
    }

    /** @return each topic's {@code max.message.bytes} */
    /** Each topic's {@code max.message.bytes} (blocking). */
    static Map<String, Integer> recordLimits(Properties clientProperties, Collection<String> topics, Duration timeout) {
        try (Admin admin = Admin.create(clientProperties)) {
            return recordLimits(admin, topics, timeout);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading the configs of " + topics + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic configs", e);
        }
    }

    private static Map<String, Integer> recordLimits(Admin admin, Collection<String> topics, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, Integer> limits = new HashMap<>();
        admin.describeConfigs(topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).forEach((resource, config) -> {
                    ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    if (entry != null && entry.value() != null) {
                        limits.put(resource.name(), Integer.parseInt(entry.value()));
                    }
                });
        return limits;
    }

    static Map<String, Integer> awaitServed(Properties clientProperties, Collection<String> topics, Duration timeout) {
        try (Admin admin = Admin.create(clientProperties)) {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(
                    p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            // The admin client retries a partition whose leader does not serve it yet.
            admin.listOffsets(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return recordLimits(admin, topics, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("a topic the worker needs does not exist (" + topics
                        + "): create them first, e.g. `troupe topics create`", e.getCause());
            }
            throw new IllegalStateException("checking topics " + topics + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + clientProperties.get("bootstrap.servers")
                    + " did not answer within " + timeout + " (checking topics " + topics + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }
}
