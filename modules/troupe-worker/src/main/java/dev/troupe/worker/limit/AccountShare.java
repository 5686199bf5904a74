package dev.troupe.worker.limit;

import dev.troupe.givon.RequestRate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's part of the Givon account's limits, applied to its limiter and its request rates. The
 * group's leader divides {@code givon.max-in-flight} with each assignment ({@link #decided}); every
 * change of ownership applies the share of the generation it belongs to ({@link #owned}), or, when
 * no leader divided it (another assignor runs the group), the share of the owned partitions alone,
 * which never sums above the total either.
 *
 * <p>A share that grows takes effect only once the journals of the newly owned partitions are read
 * ({@link #restored}): the generations their previous owner left at Givon are counted first, so that
 * a worker taking over a dead one's partitions does not fill the dead one's slots while its
 * generations still run. A worker that holds more than its share asks for a new division
 * ({@link #rebalanceDue}) when the leader could not know it (after a restore) and, when the leader
 * gave others fewer because of it, once it has drained to its share.
 *
 * <p>Called on the consumer thread (ownership, claims) and on the runner's event loop (restores).
 */
public final class AccountShare {

    private static final Logger log = LoggerFactory.getLogger(AccountShare.class);
    /**
     * The request rate of a worker that owns no partition: it still reads the status of generations
     * it is handing over, so not zero (which would lift the limit); one request a minute.
     */
    static final double IDLE_RATE = 1.0 / 60;

    private final int maxInFlight;
    private final double submissionsPerSecond;
    private final double statusReadsPerSecond;
    private final ConcurrencyLimiter limiter;
    private final RequestRate submissions;
    private final RequestRate statusReads;
    private FleetShare decided;
    private int decidedGeneration = Integer.MIN_VALUE;
    /** The group generation whose ownership applies now. */
    private int dividedGeneration = Integer.MIN_VALUE;
    /** The share applied last; null before the first. */
    private FleetShare current;
    /** The share of the partitions owned, applied in full once none of them waits for its journal. */
    private FleetShare target;
    /** Owned partitions whose journal is not read yet. */
    private final Set<Integer> restoring = new HashSet<>();
    private boolean rebalanceNow;
    private boolean rebalanceWhenDrained;
    /** Told when the slots grow: jobs queued for a slot may start, though nothing else happens to wake them. */
    private volatile Runnable grown = () -> { };

    public AccountShare(int maxInFlight, double submissionsPerSecond, double statusReadsPerSecond, ConcurrencyLimiter limiter,
                        RequestRate submissions, RequestRate statusReads) {
        this.maxInFlight = maxInFlight;
        this.submissionsPerSecond = submissionsPerSecond;
        this.statusReadsPerSecond = statusReadsPerSecond;
        this.limiter = limiter;
        this.submissions = submissions;
        this.statusReads = statusReads;
        // Nothing is owned before the first assignment.
        apply(new FleetShare(0, 0, 0));
    }

    /** The account's concurrency the leader divides; 0 when Givon sets none. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * What this worker may hold at Givon as it joins a rebalance, for the leader: its generations in
     * flight, or the slots it has if more (it may start that many before the new division arrives).
     */
    public synchronized int claim() {
        return Math.max(limiter.inFlight(), current == null ? 0 : current.slots());
    }

    /** The leader's division for this worker in group generation {@code generation}. */
    public synchronized void decided(FleetShare share, int generation) {
        decided = share;
        decidedGeneration = generation;
    }

    /**
     * This worker owns {@code partitions} (their numbers) in {@code generation} now, of which
     * {@code newlyOwned} are new and have their journals read; {@code partitionCount} (asked only
     * without the leader's division) is the topic's.
     */
    public synchronized void owned(Collection<Integer> partitions, Collection<Integer> newlyOwned, int generation,
                                   IntSupplier partitionCount) {
        FleetShare share;
        if (decided != null && decidedGeneration == generation && decided.ownedPartitions() == partitions.size()) {
            share = decided;
        } else {
            int count = partitionCount.getAsInt();
            share = new FleetShare(AccountShares.slotsOf(partitions, count, maxInFlight), partitions.size(),
                    Math.max(count, partitions.size()));
            if (maxInFlight > 0 && !partitions.isEmpty()) {
                log.info("no division of givon.max-in-flight from the group's leader for generation {}: taking the slots of the"
                        + " partitions owned, {}", generation, share.slots());
            }
        }
        if (generation != dividedGeneration) {
            dividedGeneration = generation;
            limiter.divided();
        }
        restoring.retainAll(partitions);
        restoring.addAll(newlyOwned);
        target = share;
        rebalanceNow = false;
        rebalanceWhenDrained = share.drainFirst();
        applyTarget();
    }

    /**
     * The journal of owned partition {@code partition} is read and the generations it left at Givon
     * are counted against the limiter: a share held back for it may grow now.
     */
    public synchronized void restored(int partition) {
        if (!restoring.remove(partition) || target == null) {
            return;
        }
        applyTarget();
        if (restoring.isEmpty() && maxInFlight > 0 && limiter.inFlight() > current.slots() && !current.drainFirst()) {
            // The leader divided without these generations: it gives the others fewer once it knows.
            log.info("holding {} generations at Givon after taking over partitions, more than this worker's {} slots:"
                    + " asking the group for a new division", limiter.inFlight(), current.slots());
            rebalanceNow = true;
        }
    }

    /**
     * Whether this worker should ask its group for a new division now; true once per cause. Polled by
     * the consumer thread, which alone may ask.
     */
    public synchronized boolean rebalanceDue() {
        if (rebalanceNow) {
            rebalanceNow = false;
            return true;
        }
        if (rebalanceWhenDrained && restoring.isEmpty() && limiter.inFlight() <= current.slots()) {
            rebalanceWhenDrained = false;
            return true;
        }
        return false;
    }

    private void applyTarget() {
        boolean grows = current != null && target.slots() > current.slots();
        apply(grows && !restoring.isEmpty() ? target.withSlots(current.slots()) : target);
    }

    /** What to run (on any thread) when this worker's slots grow. */
    public void onGrowth(Runnable whenGrown) {
        grown = whenGrown;
    }

    private void apply(FleetShare share) {
        FleetShare before = current;
        current = share;
        limiter.share(maxInFlight > 0 ? share.slots() : Integer.MAX_VALUE);
        if (before != null && share.slots() > before.slots()) {
            // A share given back in a rebalance that moved no partition brings no record, no answer: nothing
            // else would start the queued jobs (a worker lent down to 0 slots would wait for ever).
            grown.run();
        }
        submissions.setRate(rate(submissionsPerSecond, share));
        statusReads.setRate(rate(statusReadsPerSecond, share));
        if (before != null && !before.equals(share) && (maxInFlight > 0 || submissionsPerSecond > 0 || statusReadsPerSecond > 0)) {
            log.info("share of the Givon account: {} of {} generations in flight, {} of {} partitions ({} submissions/s,"
                            + " {} status reads/s)", share.slots(), maxInFlight, share.ownedPartitions(), share.assignedPartitions(),
                    rateText(submissions), rateText(statusReads));
        }
    }

    private static double rate(double account, FleetShare share) {
        if (account == 0) {
            return 0;
        }
        return share.ownedPartitions() == 0 ? Math.min(account, IDLE_RATE) : account * share.fraction();
    }

    private static String rateText(RequestRate rate) {
        return rate.rate() == 0 ? "unlimited" : String.format(java.util.Locale.ROOT, "%.2f", rate.rate());
    }
}
