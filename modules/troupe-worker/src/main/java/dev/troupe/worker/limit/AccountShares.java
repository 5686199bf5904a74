package dev.troupe.worker.limit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Divides the account's Givon concurrency ({@code givon.max-in-flight}) among the workers in
 * proportion to the partitions of {@code troupe.jobs} each owns (DESIGN.md "Fleet quotas").
 */
public final class AccountShares {

    private AccountShares() {
    }

    /**
     * The slots of each member, decided once by the group's leader with the assignment: proportional
     * shares rounded down, the slots left over going to the largest remainders (ties by member id),
     * then a slot moved from the richest member to any member that owns partitions but got none, while
     * there are enough. The sum is {@code total} when any member owns a partition, never more.
     */
    public static Map<String, Integer> divide(int total, Map<String, Integer> partitionsByMember) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative, was " + total);
        }
        Map<String, Integer> slots = new TreeMap<>();
        long partitions = 0;
        for (Map.Entry<String, Integer> member : partitionsByMember.entrySet()) {
            if (member.getValue() < 0) {
                throw new IllegalArgumentException("partitions of " + member.getKey() + " must not be negative, was " + member.getValue());
            }
            partitions += member.getValue();
            slots.put(member.getKey(), 0);
        }
        if (partitions == 0) {
            return slots;
        }
        Map<String, Long> remainders = new HashMap<>();
        int given = 0;
        for (Map.Entry<String, Integer> member : partitionsByMember.entrySet()) {
            long exact = (long) total * member.getValue();
            int whole = (int) (exact / partitions);
            slots.put(member.getKey(), whole);
            remainders.put(member.getKey(), exact % partitions);
            given += whole;
        }
        List<String> byRemainder = new ArrayList<>(slots.keySet());
        byRemainder.sort(Comparator.comparing((String m) -> remainders.get(m)).reversed().thenComparing(m -> m));
        for (int i = 0; given < total; i++, given++) {
            slots.merge(byRemainder.get(i), 1, Integer::sum);
        }
        for (String member : slots.keySet()) {
            if (slots.get(member) == 0 && partitionsByMember.get(member) > 0) {
                String richest = slots.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
                if (slots.get(richest) < 2) {
                    break; // fewer slots than workers with partitions: some wait for a rebalance
                }
                slots.merge(richest, -1, Integer::sum);
                slots.put(member, 1);
            }
        }
        return slots;
    }

    /**
     * The leader's division when members may hold more generations than their new slots: each member
     * {@code claims} what it may hold at Givon now (its generations in flight, or the slots it was
     * last given if more; an unknown claim counts as its new slots). A member whose claim is above its
     * slots by partitions drains to them, and until it has, the slots it holds on to are taken from
     * the members with room below their slots (largest room first, ties by member id), so that the
     * members' generations in flight never add up to more than the account's while they change hands:
     * {@code sum of max(claim, slots) <= max(total, sum of claims)}. When slots were taken so, the
     * members that were over are {@link Division#drainFirst}: each asks for a new division once it is
     * down to its slots, which gives the slots back.
     */
    public static Division divide(int total, Map<String, Integer> partitionsByMember, Map<String, Integer> claims) {
        Map<String, Integer> slots = divide(total, partitionsByMember);
        Set<String> over = new TreeSet<>();
        long excess = 0;
        for (Map.Entry<String, Integer> member : slots.entrySet()) {
            int claim = claims.getOrDefault(member.getKey(), member.getValue());
            if (claim > member.getValue()) {
                over.add(member.getKey());
                excess += claim - member.getValue();
            }
        }
        if (excess == 0) {
            return new Division(slots, Set.of());
        }
        List<String> byRoom = new ArrayList<>();
        Map<String, Integer> room = new HashMap<>();
        slots.forEach((member, given) -> {
            int claim = Math.max(0, claims.getOrDefault(member, given));
            if (claim < given) {
                room.put(member, given - claim);
                byRoom.add(member);
            }
        });
        byRoom.sort(Comparator.comparing((String m) -> room.get(m)).reversed().thenComparing(m -> m));
        boolean lent = false;
        for (String member : byRoom) {
            if (excess == 0) {
                break;
            }
            int taken = (int) Math.min(excess, room.get(member));
            slots.merge(member, -taken, Integer::sum);
            excess -= taken;
            lent = true;
        }
        // Only a member that was lent slots has any to give back: the others drain without a word.
        return new Division(slots, lent ? Set.copyOf(over) : Set.of());
    }

    /**
     * A division of the account's concurrency: each member's slots, and the members that hold more
     * than theirs and ask for a new division once they have drained to them.
     */
    public record Division(Map<String, Integer> slots, Set<String> drainFirst) {
    }

    /**
     * The slots of a worker that owns {@code owned} without the leader's word (another assignor runs
     * the group, during a rolling upgrade or under the consumer protocol): each partition has its own
     * slots, {@code total / partitionCount} plus one for the first {@code total % partitionCount}, so
     * owners of disjoint partitions never sum above the total (a partition may have none).
     */
    public static int slotsOf(Collection<Integer> owned, int partitionCount, int total) {
        if (partitionCount <= 0) {
            return 0;
        }
        int each = total / partitionCount;
        int extra = total % partitionCount;
        int slots = 0;
        for (int partition : owned) {
            if (partition >= 0 && partition < partitionCount) {
                slots += each + (partition < extra ? 1 : 0);
            }
        }
        return slots;
    }
}
