package dev.troupe.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(8));

    @Test
    void startsAtTheConfiguredMaximum() {
        assertThat(limiter.limit()).isEqualTo(8);
        assertThat(limiter.maxLimit()).isEqualTo(8);
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.isPaused(T0)).isFalse();
    }

    @Test
    void theFleetShareCapsPermitsAndARateLimitHalvesWhatTheShareAllows() {
        limiter.share(3);
        assertThat(acquire(8, T0)).hasSize(3);
        assertThat(limiter.limit()).isEqualTo(3);

        assertThat(limiter.onRateLimited(Duration.ZERO, T0)).isTrue();
        assertThat(limiter.limit()).isEqualTo(1);

        limiter.share(0);
        assertThat(limiter.limit()).isZero();
        limiter.share(100);
        assertThat(limiter.share()).as("never above worker.concurrency").isEqualTo(8);
    }

    @Test
    void aGenerationGivonAlreadyRunsCountsWhateverTheLimitAndHoldsBackNewOnes() {
        limiter.share(2);
        List<ConcurrencyLimiter.Permit> taken = List.of(limiter.acquireRunning(), limiter.acquireRunning(), limiter.acquireRunning());
        assertThat(limiter.inFlight()).isEqualTo(3);
        assertThat(limiter.tryAcquire(T0)).isEmpty();
        taken.get(0).release();
        taken.get(1).release();
        assertThat(limiter.tryAcquire(T0)).as("one under the share again").isPresent();
    }

    @Test
    void aShareOfNothingStartsNothingButJobsInFlightKeepTheirPermits() {
        List<ConcurrencyLimiter.Permit> running = acquire(2, T0);
        limiter.share(0);
        assertThat(limiter.tryAcquire(T0)).isEmpty();
        assertThat(running).noneMatch(ConcurrencyLimiter.Permit::isReleased);
        assertThat(limiter.inFlight()).isEqualTo(2);
        limiter.share(4);
        assertThat(acquire(8, T0)).hasSize(2);
    }

    @Test
    void handsOutPermitsUpToTheLimitAndOneMorePerRelease() {
        List<ConcurrencyLimiter.Permit> permits = acquire(8, T0);

        assertThat(permits).hasSize(8);
        assertThat(limiter.tryAcquire(T0)).isEmpty();

        permits.get(3).release();

        assertThat(limiter.inFlight()).isEqualTo(7);
        assertThat(limiter.tryAcquire(T0)).isPresent();
        assertThat(limiter.tryAcquire(T0)).isEmpty();
    }

    @Test
    void releasingAPermitTwiceFreesOnlyOneSlot() {
        ConcurrencyLimiter.Permit permit = limiter.tryAcquire(T0).orElseThrow();
        limiter.tryAcquire(T0).orElseThrow();

        permit.release();
        permit.release();

        assertThat(permit.isReleased()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(1);
    }

    @Test
    void aRateLimitHalvesTheLimitAndPausesUntilRetryAfter() {
        boolean lowered = limiter.onRateLimited(Duration.ofSeconds(3), T0);

        assertThat(lowered).isTrue();
        assertThat(limiter.limit()).isEqualTo(4);
        assertThat(limiter.pausedUntil()).isEqualTo(T0.plusSeconds(3));
        assertThat(limiter.tryAcquire(T0.plusMillis(2_999))).isEmpty();
        assertThat(limiter.tryAcquire(T0.plusSeconds(3))).isPresent();
    }

    @Test
    void aBurstOfRateLimitsFromRequestsSentTogetherLowersTheLimitOnce() {
        ConcurrencyLimiter wide = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(400));

        for (int i = 0; i < 200; i++) {
            wide.onRateLimited(Duration.ofSeconds(2), T0.plusMillis(i));
        }

        assertThat(wide.limit()).isEqualTo(200);
        assertThat(wide.decreases()).isEqualTo(1);
    }

    @Test
    void rateLimitsAfterTheCooldownLowerAgainButNeverBelowOne() {
        Instant now = T0;
        for (int i = 0; i < 10; i++) {
            limiter.onRateLimited(Duration.ZERO, now);
            now = now.plus(ConcurrencyConfig.DEFAULT_MIN_DECREASE_INTERVAL);
        }

        assertThat(limiter.limit()).isEqualTo(1);
        assertThat(limiter.decreases()).isEqualTo(3);
        assertThat(limiter.tryAcquire(now)).isPresent();
    }

    @Test
    void theCooldownLastsAsLongAsTheRetryAfterWhenThatIsLonger() {
        limiter.onRateLimited(Duration.ofSeconds(30), T0);

        assertThat(limiter.onRateLimited(Duration.ofSeconds(30), T0.plusSeconds(29))).isFalse();
        assertThat(limiter.onRateLimited(Duration.ofSeconds(30), T0.plusSeconds(30))).isTrue();
        assertThat(limiter.limit()).isEqualTo(2);
    }

    @Test
    void aLaterRetryAfterExtendsThePauseEvenDuringTheCooldown() {
        limiter.onRateLimited(Duration.ofSeconds(2), T0);
        limiter.onRateLimited(Duration.ofSeconds(5), T0.plusMillis(500));

        assertThat(limiter.limit()).isEqualTo(4);
        assertThat(limiter.pausedUntil()).isEqualTo(T0.plusMillis(5_500));
    }

    @Test
    void aShorterRetryAfterNeverShortensThePause() {
        limiter.onRateLimited(Duration.ofSeconds(10), T0);
        limiter.onRateLimited(Duration.ofSeconds(1), T0.plusSeconds(1));

        assertThat(limiter.pausedUntil()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void aMissingOrNegativeRetryAfterLowersWithoutPausing() {
        limiter.onRateLimited(null, T0);

        assertThat(limiter.limit()).isEqualTo(4);
        assertThat(limiter.isPaused(T0)).isFalse();

        limiter.onRateLimited(Duration.ofSeconds(-5), T0.plusSeconds(2));
        assertThat(limiter.limit()).isEqualTo(2);
        assertThat(limiter.isPaused(T0.plusSeconds(2))).isFalse();
    }

    @Test
    void anAbsurdRetryAfterIsCappedAtTheMaximumPause() {
        limiter.onRateLimited(Duration.ofDays(365_000), T0);

        assertThat(limiter.pausedUntil()).isEqualTo(T0.plus(ConcurrencyConfig.DEFAULT_MAX_PAUSE));
    }

    @Test
    void afterALoweringNoPermitIsGivenUntilInFlightFallsBelowTheNewLimit() {
        List<ConcurrencyLimiter.Permit> permits = acquire(8, T0);
        limiter.onRateLimited(Duration.ZERO, T0);

        for (int i = 0; i < 4; i++) {
            permits.get(i).release();
            assertThat(limiter.tryAcquire(T0)).as("in flight %d, limit 4", limiter.inFlight()).isEmpty();
        }
        permits.get(4).release();
        assertThat(limiter.tryAcquire(T0)).isPresent();
    }

    @Test
    void successesOfJobsStartedAfterTheLoweringRaiseTheLimitBackToTheMaximum() {
        limiter.onRateLimited(Duration.ZERO, T0);
        assertThat(limiter.limit()).isEqualTo(4);

        for (int i = 0; i < 10; i++) {
            ConcurrencyLimiter.Permit permit = limiter.tryAcquire(T0).orElseThrow();
            limiter.onSuccess(permit);
            permit.release();
        }

        assertThat(limiter.limit()).isEqualTo(8);
    }

    @Test
    void successesOfJobsStartedBeforeTheLoweringDoNotUndoIt() {
        List<ConcurrencyLimiter.Permit> before = acquire(8, T0);
        limiter.onRateLimited(Duration.ZERO, T0);

        before.forEach(permit -> {
            limiter.onSuccess(permit);
            permit.release();
        });

        assertThat(limiter.limit()).isEqualTo(4);
    }

    @Test
    void additiveIncreaseIsConfigurable() {
        ConcurrencyLimiter fast = new ConcurrencyLimiter(
                new ConcurrencyConfig(100, 0.5, 10, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        fast.onRateLimited(Duration.ZERO, T0);
        ConcurrencyLimiter.Permit permit = fast.tryAcquire(T0).orElseThrow();

        fast.onSuccess(permit);

        assertThat(fast.limit()).isEqualTo(60);
    }

    @Test
    void recoversFromAHalvingWithinAFewJobLatencies() {
        // 64 slots, jobs of one latency each; a 429 halves the limit, then every job succeeds.
        ConcurrencyLimiter wide = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(64));
        Duration latency = Duration.ofSeconds(20);
        Instant now = T0;
        Deque<ConcurrencyLimiter.Permit> running = new ArrayDeque<>(acquire(wide, 64, now));
        wide.onRateLimited(Duration.ofSeconds(5), now);

        int rounds = 0;
        while (wide.limit() < 64 && rounds < 10) {
            now = now.plus(latency);
            rounds++;
            while (!running.isEmpty()) {
                ConcurrencyLimiter.Permit done = running.poll();
                wide.onSuccess(done);
                done.release();
            }
            running.addAll(acquire(wide, 64, now));
        }

        assertThat(wide.limit()).isEqualTo(64);
        assertThat(rounds).as("latencies to recover").isLessThanOrEqualTo(2);
    }

    private List<ConcurrencyLimiter.Permit> acquire(int count, Instant now) {
        return acquire(limiter, count, now);
    }

    private static List<ConcurrencyLimiter.Permit> acquire(ConcurrencyLimiter limiter, int count, Instant now) {
        List<ConcurrencyLimiter.Permit> permits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Optional<ConcurrencyLimiter.Permit> permit = limiter.tryAcquire(now);
            if (permit.isEmpty()) {
                break;
            }
            permits.add(permit.get());
        }
        return permits;
    }

    @Test
    void aGenerationTakenOverCountsUntilItsPermitComesOrForAMinuteAtMost() {
        java.time.Instant now = java.time.Instant.parse("2026-12-03T12:00:00Z");
        ConcurrencyLimiter two = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(2));
        two.expectRunning(now);
        two.expectRunning(now);
        assertThat(two.inFlight()).isEqualTo(2);
        assertThat(two.tryAcquire(now)).as("both slots are the taken-over generations'").isEmpty();
        two.acquireRunning();
        assertThat(two.inFlight()).as("its permit replaces its expectation").isEqualTo(2);
        assertThat(two.tryAcquire(now.plus(ConcurrencyLimiter.EXPECTED_FOR).minusMillis(1))).isEmpty();
        // The other's record never came back (its partition moved on): after a minute its slot is free again.
        assertThat(two.tryAcquire(now.plus(ConcurrencyLimiter.EXPECTED_FOR))).isPresent();
        assertThat(two.inFlight()).isEqualTo(2);
    }

    @Test
    void aGenerationHandedOverCountsUntilTheDivisionAfterTheOneItWasHandedOverIn() {
        ConcurrencyLimiter two = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(2));
        two.handedOver(T0);
        assertThat(two.inFlight()).as("no account divides this worker's slots: no one else waits for them").isZero();

        two.divided();
        ConcurrencyLimiter.Permit handed = two.tryAcquire(T0).orElseThrow();
        two.tryAcquire(T0).orElseThrow();
        // Its partition is revoked: the generation goes on at Givon, its permit ends with the job here.
        two.handedOver(T0);
        handed.release();
        assertThat(two.tryAcquire(T0)).as("its slot is not refilled while its next owner cannot count it").isEmpty();
        two.divided(); // the rebalance's first round: the partition is no one's yet
        assertThat(two.tryAcquire(T0)).isEmpty();
        assertThat(two.inFlight()).isEqualTo(2);
        two.divided(); // the next round gives it its new owner, which counts it from the journal
        assertThat(two.inFlight()).isEqualTo(1);
        assertThat(two.tryAcquire(T0)).isPresent();
    }

    @Test
    void aGenerationHandedOverCountsForAMinuteAtMost() {
        ConcurrencyLimiter one = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(1));
        one.divided();
        one.handedOver(T0);
        assertThat(one.tryAcquire(T0.plus(ConcurrencyLimiter.EXPECTED_FOR).minusMillis(1))).isEmpty();
        assertThat(one.tryAcquire(T0.plus(ConcurrencyLimiter.EXPECTED_FOR))).isPresent();
    }
}
