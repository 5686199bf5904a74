package dev.troupe.testkit.guarantee;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Every record of the jobs topic is accounted for by the group: its committed offset on each partition
 * equals the partition's log end, so nothing is left to redeliver and no partition stalled.
 *
 * <p>Poll {@link #holds()} while the fleet drains; feed {@link #observe} at the scenario's moments, so
 * that a partition still behind at the end is reported with the last moment its commit moved (a
 * partition stalled since "kill 2"). Owns an admin client: close it. Thread-safe.
 */
public final class CommittedToLogEnd implements Guarantee, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Observation(String moment, Map<Integer, Long> committed) {}

    private final Admin admin;
    private final String groupId;
    private final String topic;
    private final List<Observation> observations = new ArrayList<>();

    private CommittedToLogEnd(String bootstrapServers, String groupId, String topic) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "troupe-guarantee-committed-to-log-end"));
    }

    /** A checker of {@code groupId}'s commits on {@code jobsTopic}. */
    public static CommittedToLogEnd of(String bootstrapServers, String groupId, String jobsTopic) {
        return new CommittedToLogEnd(bootstrapServers, groupId, jobsTopic);
    }

    /** True when every partition is committed at its log end (false also when the broker cannot be read). */
    public synchronized boolean holds() {
        try {
            Map<Integer, long[]> now = committedAndEnd();
            return now.values().stream().allMatch(pair -> Math.max(0, pair[0]) == pair[1]);
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Remembers the group's commits now under {@code moment}; a failed read is remembered as nothing. */
    public synchronized void observe(String moment) {
        try {
            Map<Integer, Long> committed = new TreeMap<>();
            committedAndEnd().forEach((partition, pair) -> committed.put(partition, pair[0]));
            observations.add(new Observation(moment, committed));
        } catch (IllegalStateException e) {
            observations.add(new Observation(moment + " (commits unreadable: " + e.getMessage() + ")", Map.of()));
        }
    }

    @Override
    public synchronized Verdict verdict() {
        Map<Integer, long[]> now;
        try {
            now = committedAndEnd();
        } catch (IllegalStateException e) {
            return new Verdict("CommittedToLogEnd", "group " + groupId + " on " + topic + " could not be read",
                    List.of(e.getMessage()));
        }
        List<String> breaches = new ArrayList<>();
        long behind = 0;
        long ends = 0;
        for (Map.Entry<Integer, long[]> partition : now.entrySet()) {
            long committed = partition.getValue()[0];
            long end = partition.getValue()[1];
            ends += end;
            if (Math.max(0, committed) != end) {
                behind += Math.max(0, end - committed);
                breaches.add("partition " + topic + "-" + partition.getKey() + ": committed " + (committed < 0 ? "nothing" : committed)
                        + ", log end " + end + " (" + (end - Math.max(0, committed)) + " records not accounted for)"
                        + lastMoved(partition.getKey(), committed));
            }
        }
        String what = "group " + groupId + " on " + topic + " (" + now.size() + " partitions, " + ends + " records)";
        if (breaches.isEmpty()) {
            return new Verdict("CommittedToLogEnd", what + " committed to the log end", breaches);
        }
        return new Verdict("CommittedToLogEnd", breaches.size() + " partitions behind the log end by " + behind + " records; " + what,
                breaches);
    }

    @Override
    public synchronized void close() {
        admin.close(Duration.ofSeconds(5));
    }

    /** Since which observed moment the partition's commit has not moved. */
    private String lastMoved(int partition, long committed) {
        String since = null;
        for (int i = observations.size() - 1; i >= 0; i--) {
            Long then = observations.get(i).committed().get(partition);
            if (then == null || then != committed) {
                break;
            }
            since = observations.get(i).moment();
        }
        return since == null ? "" : "; unchanged since " + since;
    }

    /** Per partition: the committed offset (-1 for none; an empty partition needs none) and the log end. */
    private Map<Integer, long[]> committedAndEnd() {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, long[]> result = new TreeMap<>();
            ends.forEach((tp, end) -> {
                OffsetAndMetadata commit = committed.get(tp);
                result.put(tp.partition(), new long[] {commit == null ? -1 : commit.offset(), end.offset()});
            });
            return result;
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the offsets of group " + groupId + " on " + topic + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("reading the offsets of group " + groupId + " on " + topic + " took over "
                    + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the offsets of group " + groupId, e);
        }
    }
}
