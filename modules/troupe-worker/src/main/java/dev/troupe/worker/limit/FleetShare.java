package dev.troupe.worker.limit;

/**
 * What of the account's Givon limits one worker may use.
 *
 * @param slots              its share of {@code givon.max-in-flight}
 * @param ownedPartitions    the partitions of {@code troupe.jobs} it owns
 * @param assignedPartitions the partitions of {@code troupe.jobs}, those changing hands in a rebalance
 *                           included; request rates are divided by {@code ownedPartitions / assignedPartitions}
 * @param drainFirst         it holds more generations than its slots and others were given fewer
 *                           meanwhile: once down to its slots it asks for a new division
 */
public record FleetShare(int slots, int ownedPartitions, int assignedPartitions, boolean drainFirst) {

    public FleetShare {
        if (slots < 0 || ownedPartitions < 0 || assignedPartitions < ownedPartitions) {
            throw new IllegalArgumentException("not a share: " + slots + " slots, " + ownedPartitions + " of "
                    + assignedPartitions + " partitions");
        }
    }

    public FleetShare(int slots, int ownedPartitions, int assignedPartitions) {
        this(slots, ownedPartitions, assignedPartitions, false);
    }

    /** This worker's fraction of the account's request rates. */
    public double fraction() {
        return assignedPartitions == 0 ? 0 : (double) ownedPartitions / assignedPartitions;
    }

    FleetShare withSlots(int held) {
        return new FleetShare(held, ownedPartitions, assignedPartitions, drainFirst);
    }
}
