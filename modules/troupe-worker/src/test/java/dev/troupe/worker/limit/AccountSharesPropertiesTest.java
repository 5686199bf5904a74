package dev.troupe.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The division of {@code givon.max-in-flight}: never above the account, every slot used, none stranded. */
class AccountSharesPropertiesTest {

    private static Map<String, Integer> members(List<Integer> partitions) {
        Map<String, Integer> members = new HashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            members.put("worker-" + i, partitions.get(i));
        }
        return members;
    }

    @Property(tries = 2_000)
    void theLeadersDivisionUsesTheWholeAccountAndNoMore(@ForAll @IntRange(min = 0, max = 5_000) int total,
                                                        @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 64) Integer> partitions) {
        Map<String, Integer> members = members(partitions);
        Map<String, Integer> slots = AccountShares.divide(total, members);
        long owned = partitions.stream().mapToLong(Integer::intValue).sum();
        long withPartitions = partitions.stream().filter(p -> p > 0).count();
        int sum = slots.values().stream().mapToInt(Integer::intValue).sum();

        assertThat(slots.keySet()).isEqualTo(members.keySet());
        assertThat(slots.values()).allSatisfy(s -> assertThat(s).isNotNegative());
        assertThat(sum).isEqualTo(owned == 0 ? 0 : total);
        members.forEach((member, count) -> {
            if (count == 0) {
                assertThat(slots.get(member)).as("%s owns nothing", member).isZero();
            } else if (total >= withPartitions) {
                assertThat(slots.get(member)).as("%s owns %d partitions", member, count).isPositive();
            }
        });
        boolean noneBelowOne = members.values().stream().allMatch(count -> count == 0 || (long) total * count >= owned);
        if (noneBelowOne && owned > 0) {
            members.forEach((member, count) -> assertThat(Math.abs(slots.get(member) - (double) total * count / owned))
                    .as("%s: %d partitions of %d, %d slots of %d", member, count, owned, slots.get(member), total)
                    .isLessThan(1.0));
        }
    }

    @Property(tries = 1_000)
    void withoutTheLeaderDisjointOwnersStayWithinTheAccount(@ForAll @IntRange(min = 0, max = 2_000) int total,
                                                           @ForAll @IntRange(min = 1, max = 200) int partitionCount,
                                                           @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 15) Integer> owners) {
        Map<Integer, List<Integer>> byOwner = new HashMap<>();
        for (int partition = 0; partition < partitionCount; partition++) {
            int owner = owners.get(partition % owners.size());
            byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(partition);
        }
        int sum = byOwner.values().stream().mapToInt(owned -> AccountShares.slotsOf(owned, partitionCount, total)).sum();
        assertThat(sum).as("every partition owned once").isEqualTo(total);
        assertThat(AccountShares.slotsOf(byOwner.values().iterator().next().subList(0, 1), partitionCount, total))
                .isLessThanOrEqualTo(total / partitionCount + 1);
    }

    @Test
    void fewerSlotsThanWorkersLeaveSomeWithoutButNeverMore() {
        Map<String, Integer> slots = AccountShares.divide(2, Map.of("a", 2, "b", 2, "c", 2));
        assertThat(slots.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        assertThat(slots).containsEntry("a", 1).containsEntry("b", 1).containsEntry("c", 0);
    }

    @Test
    void sixPartitionsOverThreeWorkersShareTenSlotsAsFourThreeThree() {
        assertThat(AccountShares.divide(10, Map.of("a", 2, "b", 2, "c", 2))).containsEntry("a", 4).containsEntry("b", 3)
                .containsEntry("c", 3);
        assertThat(AccountShares.divide(10, Map.of("a", 3, "b", 3, "gone", 0))).containsEntry("a", 5).containsEntry("b", 5)
                .containsEntry("gone", 0);
    }

    @Property(tries = 2_000)
    void membersDrainingToTheirNewSharesAndTheOthersNeverHoldMoreThanTheAccount(
            @ForAll @IntRange(min = 0, max = 500) int total,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 16) Integer> partitions,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = -1, max = 400) Integer> claimed) {
        Map<String, Integer> members = members(partitions);
        Map<String, Integer> claims = new HashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            int claim = claimed.get(i % claimed.size());
            if (claim >= 0) { // -1: a member of an earlier version, which claims nothing
                claims.put("worker-" + i, claim);
            }
        }
        Map<String, Integer> byPartitions = AccountShares.divide(total, members);
        AccountShares.Division division = AccountShares.divide(total, members, claims);
        Map<String, Integer> slots = division.slots();

        long heldAtWorst = 0;
        long claimedInAll = 0;
        boolean lent = !slots.equals(byPartitions);
        for (String member : members.keySet()) {
            int claim = claims.getOrDefault(member, byPartitions.get(member));
            assertThat(slots.get(member)).as(member).isBetween(0, byPartitions.get(member));
            heldAtWorst += Math.max(claim, slots.get(member));
            claimedInAll += claim;
            assertThat(division.drainFirst().contains(member)).as("%s claims %d of %d slots", member, claim, slots.get(member))
                    .isEqualTo(lent && claim > byPartitions.get(member));
        }
        assertThat(slots.values().stream().mapToLong(Integer::longValue).sum()).isLessThanOrEqualTo(total);
        assertThat(heldAtWorst).as("what the members may hold while the ones over their shares drain")
                .isLessThanOrEqualTo(Math.max(total, claimedInAll));
        if (claimedInAll <= total && partitions.stream().anyMatch(p -> p > 0)) {
            assertThat(heldAtWorst).as("the account's every slot is someone's").isEqualTo(total);
        }
    }

    @Test
    void aRestartedWorkerWaitsForTheSlotsTheOthersStillHold() {
        // Two workers took over a killed one's generations (5 each of 10); it comes back and owns two partitions.
        AccountShares.Division division = AccountShares.divide(10, Map.of("back", 2, "b", 2, "c", 2),
                Map.of("back", 0, "b", 5, "c", 4));
        assertThat(division.slots()).containsEntry("back", 1).containsEntry("b", 4).containsEntry("c", 3);
        assertThat(division.drainFirst()).containsExactlyInAnyOrder("b", "c");
    }
}
