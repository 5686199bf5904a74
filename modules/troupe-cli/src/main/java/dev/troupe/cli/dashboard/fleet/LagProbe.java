package dev.troupe.cli.dashboard.fleet;

import dev.troupe.client.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Reads the workers' consumer lag on the jobs topic with a Kafka {@link Admin} of its own, on one daemon
 * thread ({@value #THREAD}) that owns it: the admin's futures are waited for there, never on an event
 * loop. Each call is bounded by {@code timeout}; a failure is a {@link ConsumerLag} with an error, not an
 * exception.
 */
final class LagProbe implements AutoCloseable {

    static final String THREAD = "troupe-dashboard-lag";

    private final KafkaConnection kafka;
    private final String group;
    private final String topic;
    private final Duration timeout;
    private final ExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, THREAD);
        t.setDaemon(true);
        return t;
    });
    /**
     * Created and used on {@link #thread} (creating it resolves the servers); volatile only so that
     * {@link #close} can still close it when the thread had to be interrupted.
     */
    private volatile Admin admin;

    LagProbe(KafkaConnection kafka, String group, String topic, Duration timeout) {
        this.kafka = kafka;
        this.group = group;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Completes (never exceptionally) on {@value #THREAD} with the lag, or with a lag saying why there is none. */
    CompletableFuture<ConsumerLag> probe() {
        try {
            return CompletableFuture.supplyAsync(this::read, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(ConsumerLag.failed(group, topic, "the dashboard is closing"));
        }
    }

    private ConsumerLag read() {
        try {
            Admin client = admin();
            int millis = timeoutMillis();
            TopicDescription description = await(client.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(millis))
                    .allTopicNames()).get(topic);
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicPartitionInfo info : description.partitions()) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = await(client.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)),
                    new ListConsumerGroupOffsetsOptions().timeoutMs(millis)).partitionsToOffsetAndMetadata(group));
            Map<TopicPartition, Long> ends = offsets(client, partitions, OffsetSpec.latest());
            List<TopicPartition> uncommitted = partitions.stream().filter(p -> committed.get(p) == null).toList();
            Map<TopicPartition, Long> earliest = uncommitted.isEmpty() ? Map.of() : offsets(client, uncommitted, OffsetSpec.earliest());
            List<ConsumerLag.PartitionLag> lags = new ArrayList<>();
            for (TopicPartition p : partitions) {
                long end = ends.get(p);
                OffsetAndMetadata at = committed.get(p);
                long from = at == null ? earliest.get(p) : at.offset();
                lags.add(new ConsumerLag.PartitionLag(p.partition(), Math.max(0, end - from), end, at == null ? null : at.offset()));
            }
            return ConsumerLag.of(group, topic, lags);
        } catch (ExecutionException e) {
            return ConsumerLag.failed(group, topic, "Kafka at " + kafka.bootstrapServers() + ": " + KafkaConnection.rootMessage(e.getCause()));
        } catch (TimeoutException e) {
            return ConsumerLag.failed(group, topic, "no answer from Kafka at " + kafka.bootstrapServers() + " within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ConsumerLag.failed(group, topic, "interrupted");
        } catch (KafkaException | IllegalArgumentException e) {
            return ConsumerLag.failed(group, topic, "Kafka at " + kafka.bootstrapServers() + ": " + KafkaConnection.rootMessage(e));
        }
    }

    private Map<TopicPartition, Long> offsets(Admin client, List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = await(client.listOffsets(request,
                new ListOffsetsOptions().timeoutMs(timeoutMillis())).all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = kafka.clientConfig(THREAD);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
            admin = Admin.create(config);
        }
        return admin;
    }

    private <T> T await(KafkaFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        // A little past the admin's own timeout, so that its error (which names the cause) usually wins.
        return future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** Stops the thread after the probe under way (at most {@code wait}, then interrupts it) and closes the admin. */
    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }

    void close(Duration wait) {
        try {
            thread.execute(this::closeAdmin);
        } catch (RejectedExecutionException e) {
            return; // closed already
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                abandon();
            }
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
        }
    }

    private void abandon() {
        thread.shutdownNow();
        Admin left = admin;
        if (left != null) {
            left.close(Duration.ZERO);
        }
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
