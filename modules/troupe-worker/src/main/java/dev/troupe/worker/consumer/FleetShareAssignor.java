package dev.troupe.worker.consumer;

import dev.troupe.worker.limit.AccountShare;
import dev.troupe.worker.limit.AccountShares;
import dev.troupe.worker.limit.FleetShare;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kafka's cooperative sticky assignment, plus the division of the Givon account's concurrency: the
 * group's leader, which alone sees every member's partitions, divides {@code givon.max-in-flight}
 * among them ({@link AccountShares#divide}) and sends each member its share in its assignment's user
 * data, so the shares of one generation sum to the total exactly, with no coordination of our own.
 * The worker lists Kafka's {@link CooperativeStickyAssignor} after this one, so a group that still
 * has members without it (a rolling upgrade) keeps working and the shares fall back to per-partition
 * slots. The {@link AccountShare} comes in the consumer's configuration under {@link #SHARE_CONFIG}.
 */
public final class FleetShareAssignor implements ConsumerPartitionAssignor, Configurable {

    public static final String NAME = "troupe-fleet-share";
    /** Consumer configuration key holding this worker's {@link AccountShare} (an object, not a text). */
    public static final String SHARE_CONFIG = "troupe.account.share";
    private static final short VERSION = 1;

    private final CooperativeStickyAssignor sticky = new CooperativeStickyAssignor();
    private AccountShare share;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(SHARE_CONFIG) instanceof AccountShare given)) {
            throw new ConfigException(SHARE_CONFIG, configs.get(SHARE_CONFIG), "must be the worker's AccountShare");
        }
        share = given;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return sticky.subscriptionUserData(topics);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        Map<String, Assignment> placed = sticky.assign(metadata, subscriptions).groupAssignment();
        Map<String, Integer> partitions = new HashMap<>();
        placed.forEach((member, assignment) -> partitions.put(member, assignment.partitions().size()));
        int assigned = partitions.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> slots = AccountShares.divide(share.maxInFlight(), partitions);
        Map<String, Assignment> shared = new HashMap<>();
        placed.forEach((member, assignment) -> shared.put(member, new Assignment(assignment.partitions(),
                encode(new FleetShare(slots.get(member), partitions.get(member), assigned)))));
        return new GroupAssignment(shared);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        sticky.onAssignment(assignment, metadata);
        FleetShare decided = decode(assignment.userData());
        if (decided != null) {
            share.decided(decided, metadata.generationId());
        }
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public short version() {
        return sticky.version();
    }

    @Override
    public String name() {
        return NAME;
    }

    static ByteBuffer encode(FleetShare share) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + 3 * Integer.BYTES);
        buffer.putShort(VERSION).putInt(share.slots()).putInt(share.ownedPartitions()).putInt(share.assignedPartitions());
        return buffer.flip();
    }

    /** The share in an assignment's user data; null when there is none or it is not ours. */
    static FleetShare decode(ByteBuffer data) {
        if (data == null || data.remaining() < 2 + 3 * Integer.BYTES) {
            return null;
        }
        ByteBuffer read = data.duplicate();
        if (read.getShort() != VERSION) {
            return null;
        }
        try {
            return new FleetShare(read.getInt(), read.getInt(), read.getInt());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
