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
 *
 * <p>Each member's subscription carries its claim, what it may hold at Givon as it joins (generations
 * in flight, or its slots if more), in front of the sticky assignor's own user data: a member that
 * loses slots drains to its new share only as its generations end, and the leader gives the others
 * fewer meanwhile ({@link AccountShares#divide(int, Map, Map)}).
 */
public final class FleetShareAssignor implements ConsumerPartitionAssignor, Configurable {

    public static final String NAME = "troupe-fleet-share";
    /** Consumer configuration key holding this worker's {@link AccountShare} (an object, not a text). */
    public static final String SHARE_CONFIG = "troupe.account.share";
    /** Version 1 had no {@code drainFirst}; it is still read (a rolling upgrade). */
    private static final short VERSION = 2;
    /** Marks a subscription's user data that starts with a claim (the sticky assignor's own is 4 bytes). */
    private static final short CLAIM_MARK = 0x7472;
    private static final int CLAIM_BYTES = 2 * Short.BYTES + Integer.BYTES;
    /** Stands for the partitions no member is assigned in a rebalance's first round (no member id is empty). */
    private static final String CHANGING_HANDS = "";

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
        return withClaim(share.claim(), sticky.subscriptionUserData(topics));
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        Map<String, Integer> claims = new HashMap<>();
        Map<String, Subscription> stickyOnes = new HashMap<>();
        subscriptions.groupSubscription().forEach((member, subscription) -> {
            Integer claim = claimOf(subscription.userData());
            if (claim != null) {
                claims.put(member, claim);
            }
            stickyOnes.put(member, withoutClaim(subscription));
        });
        Map<String, Assignment> placed = sticky.assign(metadata, new GroupSubscription(stickyOnes)).groupAssignment();
        Map<String, Integer> partitions = new HashMap<>();
        placed.forEach((member, assignment) -> partitions.put(member, assignment.partitions().size()));
        int assigned = partitions.values().stream().mapToInt(Integer::intValue).sum();
        // A cooperative rebalance assigns a partition that changes hands only in its second round. Its slots go to no
        // one meanwhile: the generations its owner hands over still run at Givon, uncounted until the next owner reads
        // the journal, and were its slots divided among the partitions assigned, their owners would refill them.
        int partitionCount = Math.max(assigned, partitionCount(metadata, subscriptions));
        if (partitionCount > assigned) {
            partitions.put(CHANGING_HANDS, partitionCount - assigned);
            claims.put(CHANGING_HANDS, 0);
        }
        AccountShares.Division division = AccountShares.divide(share.maxInFlight(), partitions, claims);
        Map<String, Assignment> shared = new HashMap<>();
        placed.forEach((member, assignment) -> shared.put(member, new Assignment(assignment.partitions(),
                encode(new FleetShare(division.slots().get(member), partitions.get(member), partitionCount,
                        division.drainFirst().contains(member))))));
        return new GroupAssignment(shared);
    }

    /** The partitions of the topics the members subscribe to, as the leader's metadata knows them. */
    private static int partitionCount(Cluster metadata, GroupSubscription subscriptions) {
        Set<String> topics = new java.util.TreeSet<>();
        subscriptions.groupSubscription().values().forEach(subscription -> topics.addAll(subscription.topics()));
        int count = 0;
        for (String topic : topics) {
            Integer partitions = metadata.partitionCountForTopic(topic);
            count += partitions == null ? 0 : partitions;
        }
        return count;
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
        ByteBuffer buffer = ByteBuffer.allocate(2 + 3 * Integer.BYTES + 1);
        buffer.putShort(VERSION).putInt(share.slots()).putInt(share.ownedPartitions()).putInt(share.assignedPartitions())
                .put((byte) (share.drainFirst() ? 1 : 0));
        return buffer.flip();
    }

    static ByteBuffer withClaim(int claim, ByteBuffer stickyData) {
        ByteBuffer sticky = stickyData == null ? ByteBuffer.allocate(0) : stickyData.duplicate();
        ByteBuffer buffer = ByteBuffer.allocate(CLAIM_BYTES + sticky.remaining());
        buffer.putShort(CLAIM_MARK).putShort((short) 1).putInt(claim).put(sticky);
        return buffer.flip();
    }

    /** The claim in front of a subscription's user data; null when it has none (a member of an earlier version). */
    static Integer claimOf(ByteBuffer data) {
        if (data == null || data.remaining() < CLAIM_BYTES) {
            return null;
        }
        ByteBuffer read = data.duplicate();
        if (read.getShort() != CLAIM_MARK || read.getShort() != 1) {
            return null;
        }
        int claim = read.getInt();
        return claim < 0 ? null : claim;
    }

    /** The subscription as the sticky assignor wrote it. */
    private static Subscription withoutClaim(Subscription subscription) {
        if (claimOf(subscription.userData()) == null) {
            return subscription;
        }
        ByteBuffer rest = subscription.userData().duplicate();
        rest.position(rest.position() + CLAIM_BYTES);
        Subscription sticky = new Subscription(subscription.topics(), rest.hasRemaining() ? rest.slice() : null, subscription.ownedPartitions(),
                subscription.generationId().orElse(-1), subscription.rackId());
        sticky.setGroupInstanceId(subscription.groupInstanceId());
        return sticky;
    }

    /** The share in an assignment's user data; null when there is none or it is not ours. */
    static FleetShare decode(ByteBuffer data) {
        if (data == null || data.remaining() < 2 + 3 * Integer.BYTES) {
            return null;
        }
        ByteBuffer read = data.duplicate();
        short version = read.getShort();
        if (version != 1 && version != VERSION) {
            return null;
        }
        try {
            return new FleetShare(read.getInt(), read.getInt(), read.getInt(), version == VERSION && read.hasRemaining() && read.get() == 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
