package dev.troupe.worker.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.givon.RequestRate;
import dev.troupe.worker.limit.AccountShare;
import dev.troupe.worker.limit.ConcurrencyConfig;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import dev.troupe.worker.limit.FleetShare;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The leader's division of givon.max-in-flight, from the members' subscriptions to their assignments. */
class FleetShareAssignorTest {

    private static final String TOPIC = "troupe.jobs";

    private final FleetShareAssignor assignor = new FleetShareAssignor();

    FleetShareAssignorTest() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(64));
        assignor.configure(Map.of(FleetShareAssignor.SHARE_CONFIG,
                new AccountShare(10, 0, 0, limiter, new RequestRate(), new RequestRate())));
    }

    private static Cluster sixPartitions() {
        Node node = new Node(0, "127.0.0.1", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            partitions.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
        }
        return new Cluster("troupe", List.of(node), partitions, Set.of(), Set.of());
    }

    /** A member's subscription as the worker writes it: its claim, then the sticky assignor's own data. */
    private static Subscription member(Integer claim, int generation, int... owned) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p : owned) {
            partitions.add(new TopicPartition(TOPIC, p));
        }
        ByteBuffer sticky = new CooperativeStickyAssignor().subscriptionUserData(Set.of(TOPIC));
        ByteBuffer data = claim == null ? sticky : FleetShareAssignor.withClaim(claim, sticky);
        return new Subscription(List.of(TOPIC), data, partitions, generation, java.util.Optional.empty());
    }

    private Map<String, FleetShare> assign(Map<String, Subscription> members) {
        Map<String, Assignment> assigned = assignor.assign(sixPartitions(), new GroupSubscription(members)).groupAssignment();
        Map<String, FleetShare> shares = new HashMap<>();
        assigned.forEach((member, assignment) -> shares.put(member, FleetShareAssignor.decode(assignment.userData())));
        return shares;
    }

    @Test
    void theClaimRidesInFrontOfTheStickyAssignorsDataAndComesOffBeforeIt() {
        ByteBuffer sticky = new CooperativeStickyAssignor().subscriptionUserData(Set.of(TOPIC));
        ByteBuffer data = FleetShareAssignor.withClaim(7, sticky);
        assertThat(FleetShareAssignor.claimOf(data)).isEqualTo(7);
        assertThat(FleetShareAssignor.claimOf(sticky)).as("a member of an earlier version").isNull();
        assertThat(data.remaining()).as("read without being consumed").isEqualTo(8 + sticky.remaining());
    }

    @Test
    void membersHoldingNoMoreThanTheirSharesGetTheDivisionByPartitions() {
        Map<String, FleetShare> shares = assign(Map.of("a", member(4, 4, 0, 1), "b", member(3, 4, 2, 3), "c", member(2, 4, 4, 5)));
        assertThat(shares.values()).extracting(FleetShare::slots).containsExactlyInAnyOrder(4, 3, 3);
        assertThat(shares.values()).noneMatch(FleetShare::drainFirst);
        assertThat(shares.values()).allSatisfy(share -> assertThat(share.ownedPartitions()).isEqualTo(2));
    }

    @Test
    void aMemberBackFromACrashWaitsWhileTheOthersHoldTheSlotsTheyTookOver() {
        // b and c ran the killed member's partitions and hold 5 generations each; the member is back.
        Map<String, FleetShare> revoking = assign(Map.of("back", member(0, -1), "b", member(5, 6, 0, 1, 2),
                "c", member(5, 6, 3, 4, 5)));
        assertThat(revoking.get("back").ownedPartitions()).as("cooperative: revoked first, assigned next round").isZero();
        assertThat(heldAtWorst(revoking, Map.of("back", 0, "b", 5, "c", 5))).isLessThanOrEqualTo(10);
        // The generations b and c hand over run on at Givon until "back" reads the journal: b and c must not refill
        // those slots, so each gets the share of the 2 partitions it keeps, of 6, and drains to it.
        assertThat(revoking.get("b").slots()).isEqualTo(3);
        assertThat(revoking.get("c").slots()).isEqualTo(3);
        assertThat(revoking.get("back").slots()).isZero();
        assertThat(revoking.values()).allSatisfy(share -> assertThat(share.assignedPartitions()).isEqualTo(6));
        assertThat(revoking.get("b").drainFirst()).isTrue();
        assertThat(revoking.get("c").drainFirst()).isTrue();

        Map<String, FleetShare> handedOver = assign(Map.of("back", member(0, -1), "b", member(5, 7, 0, 1),
                "c", member(5, 7, 3, 4)));
        assertThat(handedOver.get("back").ownedPartitions()).isEqualTo(2);
        assertThat(heldAtWorst(handedOver, Map.of("back", 0, "b", 5, "c", 5))).isEqualTo(10);
        assertThat(handedOver.get("back").slots()).isLessThan(3);
        assertThat(handedOver.get("b").drainFirst()).isTrue();
        assertThat(handedOver.get("c").drainFirst()).isTrue();
        assertThat(handedOver.get("back").drainFirst()).isFalse();
    }

    private static int heldAtWorst(Map<String, FleetShare> shares, Map<String, Integer> holding) {
        return shares.entrySet().stream().mapToInt(e -> Math.max(holding.get(e.getKey()), e.getValue().slots())).sum();
    }

    @Test
    void membersOfAnEarlierVersionAreDividedByTheirPartitions() {
        Map<String, FleetShare> shares = assign(Map.of("a", member(null, 4, 0, 1), "b", member(null, 4, 2, 3), "c", member(9, 4, 4, 5)));
        assertThat(shares.values()).extracting(FleetShare::slots).containsExactlyInAnyOrder(4, 3, 3);
        assertThat(shares.values().stream().mapToInt(FleetShare::slots).sum()).isLessThanOrEqualTo(10);
    }

    @Test
    void anAssignmentOfTheFirstVersionIsStillRead() {
        ByteBuffer v1 = ByteBuffer.allocate(14).putShort((short) 1).putInt(4).putInt(2).putInt(6).flip();
        assertThat(FleetShareAssignor.decode(v1)).isEqualTo(new FleetShare(4, 2, 6));
        assertThat(FleetShareAssignor.decode(FleetShareAssignor.encode(new FleetShare(3, 2, 6, true))))
                .isEqualTo(new FleetShare(3, 2, 6, true));
    }
}
