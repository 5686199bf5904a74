package dev.troupe.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How long read_committed readers of a topic are held back by transactions open at one moment (a
 * worker killed with one open, say): from {@link #measure} until every partition's last stable offset
 * has reached the end its log had at that moment. Polls every 50 ms on a thread of its own.
 */
public final class TransactionHold implements AutoCloseable {

    private final Admin admin;
    private final String topic;

    public TransactionHold(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(p);
        this.topic = topic;
    }

    /** Starts measuring now; completes with the hold, or exceptionally after {@code limit}. */
    public CompletableFuture<Duration> measure(Duration limit) {
        long start = System.nanoTime();
        Map<TopicPartition, Long> ends = offsets(IsolationLevel.READ_UNCOMMITTED);
        return CompletableFuture.supplyAsync(() -> {
            while (System.nanoTime() - start < limit.toNanos()) {
                Map<TopicPartition, Long> stable = offsets(IsolationLevel.READ_COMMITTED);
                if (ends.entrySet().stream().allMatch(e -> stable.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException(topic + ": read_committed readers still held back after " + limit);
        });
    }

    private Map<TopicPartition, Long> offsets(IsolationLevel isolation) {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(10, TimeUnit.SECONDS)
                    .forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("offsets of " + topic + " not read: " + e, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
