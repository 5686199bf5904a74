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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before a worker starts: the broker answers, its topics exist, and every partition is served by
 * its leader. A topic created moments ago has a leader in metadata before the broker serves the
 * partition; an idempotent producer sending into that gap was seen to loop on
 * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (Kafka 4.4).
 */
final class TopicCheck {

    private TopicCheck() {
    }

    static void awaitServed(Properties clientProperties, Collection<String> topics, Duration timeout) {
        try (Admin admin = Admin.create(clientProperties)) {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(
                    p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            // The admin client retries a partition whose leader does not serve it yet.
            admin.listOffsets(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
