package dev.troupe.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.givon.RequestRate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A worker's share of the account as partitions change hands, and when it asks the group for a new division. */
class AccountShareTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(64));
    private final AccountShare share = new AccountShare(10, 0, 0, limiter, new RequestRate(), new RequestRate());
    private final List<ConcurrencyLimiter.Permit> held = new ArrayList<>();

    private int startAll() {
        int started = 0;
        for (Optional<ConcurrencyLimiter.Permit> permit = limiter.tryAcquire(NOW); permit.isPresent(); permit = limiter.tryAcquire(NOW)) {
            held.add(permit.get());
            started++;
        }
        return started;
    }

    private void finish(int jobs) {
        for (int i = 0; i < jobs; i++) {
            held.remove(0).release();
        }
    }

    @Test
    void aShareThatGrowsWaitsForTheJournalsOfTheNewPartitions() {
        share.decided(new FleetShare(3, 2, 6), 1);
        share.owned(List.of(0, 1), List.of(0, 1), 1, () -> 6);
        assertThat(limiter.share()).as("nothing counted yet from the journals").isZero();
        share.restored(0);
        share.restored(1);
        assertThat(startAll()).isEqualTo(3);

        // A worker died: this one takes partition 4 over, whose journal holds two generations Givon runs.
        share.decided(new FleetShare(5, 3, 6), 2);
        share.owned(List.of(0, 1, 4), List.of(4), 2, () -> 6);
        assertThat(limiter.share()).as("held at the old share until partition 4's journal is read").isEqualTo(3);
        assertThat(startAll()).isZero();
        limiter.expectRunning(NOW);
        limiter.expectRunning(NOW);
        share.restored(4);
        assertThat(limiter.share()).isEqualTo(5);
        assertThat(startAll()).as("the taken-over generations fill the new slots").isZero();
        assertThat(share.rebalanceDue()).isFalse();
    }

    @Test
    void aShareThatShrinksAppliesAtOnce() {
        share.decided(new FleetShare(5, 3, 6), 1);
        share.owned(List.of(0, 1, 2), List.of(0, 1, 2), 1, () -> 6);
        List.of(0, 1, 2).forEach(share::restored);
        assertThat(startAll()).isEqualTo(5);
        share.decided(new FleetShare(3, 2, 6), 2);
        share.owned(List.of(0, 1), List.of(), 2, () -> 6);
        assertThat(limiter.share()).isEqualTo(3);
        finish(1);
        assertThat(startAll()).as("4 still in flight over 3 slots").isZero();
    }

    @Test
    void holdingMoreThanItsShareAfterATakeOverItAsksForANewDivisionOnce() {
        share.decided(new FleetShare(5, 3, 6), 1);
        share.owned(List.of(0, 1, 2), List.of(0, 1, 2), 1, () -> 6);
        share.restored(0);
        share.restored(1);
        for (int i = 0; i < 7; i++) {
            limiter.expectRunning(NOW); // partition 2's journal: seven generations at Givon
        }
        share.restored(2);
        assertThat(limiter.inFlight()).isEqualTo(7);
        assertThat(share.claim()).isEqualTo(7);
        assertThat(share.rebalanceDue()).isTrue();
        assertThat(share.rebalanceDue()).isFalse();
    }

    @Test
    void aWorkerTheLeaderLentSlotsForAsksAgainOnceDrainedToItsShare() {
        share.decided(new FleetShare(5, 3, 6), 1);
        share.owned(List.of(0, 1, 2), List.of(0, 1, 2), 1, () -> 6);
        List.of(0, 1, 2).forEach(share::restored);
        assertThat(startAll()).isEqualTo(5);
        assertThat(share.claim()).isEqualTo(5);

        share.decided(new FleetShare(3, 2, 6, true), 2);
        share.owned(List.of(0, 1), List.of(), 2, () -> 6);
        assertThat(share.rebalanceDue()).as("5 in flight over 3 slots").isFalse();
        finish(1);
        assertThat(share.rebalanceDue()).isFalse();
        finish(1);
        assertThat(share.rebalanceDue()).as("down to its 3 slots").isTrue();
        finish(1);
        assertThat(share.rebalanceDue()).isFalse();
    }

    @Test
    void theClaimCoversTheSlotsItMayStillFillBeforeTheNewDivisionArrives() {
        share.decided(new FleetShare(4, 2, 6), 1);
        share.owned(List.of(0, 1), List.of(0, 1), 1, () -> 6);
        share.restored(0);
        share.restored(1);
        limiter.tryAcquire(NOW).ifPresent(held::add);
        assertThat(share.claim()).isEqualTo(4);
    }

    @Test
    void slotsGivenBackWithoutAPartitionMovingWakeTheQueuedJobs() {
        java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
        share.onGrowth(woken::incrementAndGet);
        share.decided(new FleetShare(0, 2, 6), 1); // lent down to nothing while others drain
        share.owned(List.of(0, 1), List.of(0, 1), 1, () -> 6);
        share.restored(0);
        share.restored(1);
        assertThat(woken).hasValue(0);
        share.decided(new FleetShare(4, 2, 6), 2); // given back: no record, no answer comes with it
        share.owned(List.of(0, 1), List.of(), 2, () -> 6);
        assertThat(woken).hasValue(1);
        assertThat(startAll()).isEqualTo(4);
    }

    @Test
    void generationsHandedOverKeepTheirSlotsAndCountInTheClaimUntilTheirNextOwnerHasThePartition() {
        share.decided(new FleetShare(5, 3, 6), 1);
        share.owned(List.of(0, 1, 2), List.of(0, 1, 2), 1, () -> 6);
        share.restored(0);
        share.restored(1);
        share.restored(2);
        assertThat(startAll()).isEqualTo(5);

        // A member joins: the first round takes partition 2 from this one, which hands its 2 generations over.
        share.decided(new FleetShare(3, 2, 6, true), 2);
        limiter.handedOver(NOW);
        limiter.handedOver(NOW);
        finish(2);
        share.owned(List.of(0, 1), List.of(), 2, () -> 6);
        assertThat(startAll()).as("the handed-over generations still run at Givon").isZero();
        assertThat(share.claim()).as("what the leader must leave for them in the next round").isEqualTo(5);

        // The second round gives partition 2 to the new member, which counts them from the journal.
        share.decided(new FleetShare(3, 2, 6, true), 3);
        share.owned(List.of(0, 1), List.of(), 3, () -> 6);
        assertThat(share.claim()).isEqualTo(3);
        assertThat(share.rebalanceDue()).as("down to its slots: the slots lent for it go back").isTrue();
        assertThat(startAll()).isZero();
    }
}
