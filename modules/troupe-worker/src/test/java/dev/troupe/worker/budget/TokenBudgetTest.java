package dev.troupe.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.ReserveOutcome.Exhausted;
import dev.troupe.worker.budget.ReserveOutcome.Reserved;
import dev.troupe.worker.budget.ReserveOutcome.TooLarge;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenBudgetTest {

    private static final Instant MORNING = Instant.parse("2026-03-01T09:00:00Z");
    private static final Instant NEXT_MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final BudgetPolicy policy = new BudgetPolicy(
            Map.of("studio", new BudgetRule(Tokens.of(100), DAY, ExhaustionPolicy.WAIT),
                    "backend", new BudgetRule(Tokens.of(50), DAY, ExhaustionPolicy.REJECT)),
            new BudgetRule(Tokens.of(30), DAY, ExhaustionPolicy.REJECT));
    private final MutableClock clock = new MutableClock(MORNING);
    private final TokenBudget budget = new TokenBudget(policy, clock);

    @Test
    void reservesWhileTheCostFitsInTheWindow() {
        Reservation first = reserve("studio", 21);
        Reservation second = reserve("studio", 70);

        assertThat(first.tenant()).isEqualTo("studio");
        assertThat(first.amount()).isEqualTo(Tokens.of(21));
        assertThat(first.window()).isEqualTo(second.window());
        assertThat(first).isNotEqualTo(second);
        assertThat(budget.reserved("studio")).isEqualTo(Tokens.of(91));
        assertThat(budget.spent("studio")).isEqualTo(Tokens.ZERO);
        assertThat(budget.remaining("studio")).isEqualTo(Tokens.of(9));
    }

    @Test
    void aCostThatWouldGoOverTheLimitIsRefusedUntilTheNextWindow() {
        reserve("studio", 90);

        ReserveOutcome outcome = budget.tryReserve("studio", Tokens.of(21), MORNING);

        assertThat(outcome).isEqualTo(new Exhausted("studio", Tokens.of(10), NEXT_MIDNIGHT));
        assertThat(budget.reserved("studio")).isEqualTo(Tokens.of(90));
    }

    @Test
    void theLimitItselfCanBeReachedExactly() {
        reserve("studio", 79);
        reserve("studio", 21);

        assertThat(budget.remaining("studio")).isEqualTo(Tokens.ZERO);
        assertThat(budget.tryReserve("studio", Tokens.ofMilli(1), MORNING)).isInstanceOf(Exhausted.class);
    }

    @Test
    void aJobCostingMoreThanTheWholeWindowCanNeverRun() {
        ReserveOutcome outcome = budget.tryReserve("backend", Tokens.ofMilli(50_001), MORNING);

        assertThat(outcome).isEqualTo(new TooLarge("backend", Tokens.ofMilli(50_001), Tokens.of(50)));
        assertThat(budget.reserved("backend")).isEqualTo(Tokens.ZERO);
    }

    @Test
    void releasingAReservationGivesItsTokensBack() {
        Reservation reservation = reserve("studio", 90);

        assertThat(budget.release(reservation)).isTrue();

        assertThat(budget.reserved("studio")).isEqualTo(Tokens.ZERO);
        assertThat(budget.spent("studio")).isEqualTo(Tokens.ZERO);
        assertThat(budget.remaining("studio")).isEqualTo(Tokens.of(100));
        assertThat(budget.tryReserve("studio", Tokens.of(100), MORNING)).isInstanceOf(Reserved.class);
    }

    @Test
    void settlingMovesTheReservationIntoSpent() {
        Reservation reservation = reserve("studio", 21);

        assertThat(budget.settle(reservation, Tokens.of(21))).isTrue();

        assertThat(budget.reserved("studio")).isEqualTo(Tokens.ZERO);
        assertThat(budget.spent("studio")).isEqualTo(Tokens.of(21));
        assertThat(budget.remaining("studio")).isEqualTo(Tokens.of(79));
    }

    @Test
    void settlingBelowTheReservationFreesTheDifference() {
        Reservation reservation = reserve("studio", 35);

        budget.settle(reservation, Tokens.parse("20.5"));

        assertThat(budget.spent("studio")).isEqualTo(Tokens.parse("20.5"));
        assertThat(budget.remaining("studio")).isEqualTo(Tokens.parse("79.5"));
    }

    @Test
    void settleAndReleaseCountOncePerReservation() {
        Reservation settled = reserve("studio", 21);
        Reservation released = reserve("studio", 35);

        budget.settle(settled, Tokens.of(21));
        budget.release(released);

        assertThat(budget.settle(settled, Tokens.of(21))).isFalse();
        assertThat(budget.release(settled)).isFalse();
        assertThat(budget.release(released)).isFalse();
        assertThat(budget.settle(released, Tokens.of(35))).isFalse();
        assertThat(budget.spent("studio")).isEqualTo(Tokens.of(21));
        assertThat(budget.reserved("studio")).isEqualTo(Tokens.ZERO);
    }

    @Test
    void aChargeAboveTheReservationIsCountedAsOverspendAndStopsTheTenant() {
        Reservation reservation = reserve("studio", 90);
        reserve("studio", 10);

        budget.settle(reservation, Tokens.of(95));

        assertThat(budget.spent("studio")).isEqualTo(Tokens.of(95));
        assertThat(budget.overspend("studio")).isEqualTo(Tokens.of(5));
        assertThat(budget.overspend()).isEqualTo(Tokens.of(5));
        assertThat(budget.remaining("studio")).as("clamped at zero").isEqualTo(Tokens.ZERO);
        assertThat(budget.tryReserve("studio", Tokens.ZERO, MORNING)).isInstanceOf(Reserved.class);
        assertThat(budget.tryReserve("studio", Tokens.ofMilli(1), MORNING))
                .isEqualTo(new Exhausted("studio", Tokens.ZERO, NEXT_MIDNIGHT));
    }

    @Test
    void theWindowRollsAtTheNextEpochAlignedBoundary() {
        reserve("studio", 100);
        Instant lastMillisecond = NEXT_MIDNIGHT.minusMillis(1);
        clock.set(lastMillisecond);
        assertThat(budget.tryReserve("studio", Tokens.of(1), lastMillisecond)).isInstanceOf(Exhausted.class);

        clock.set(NEXT_MIDNIGHT);

        assertThat(budget.remaining("studio")).isEqualTo(Tokens.of(100));
        assertThat(budget.tryReserve("studio", Tokens.of(100), NEXT_MIDNIGHT)).isInstanceOf(Reserved.class);
    }

    @Test
    void aReservationSettledAfterTheRollCountsInTheWindowItWasMadeIn() {
        Reservation yesterday = reserve("studio", 60);
        clock.set(NEXT_MIDNIGHT);
        Reservation today = reserve("studio", 100);

        budget.settle(yesterday, Tokens.of(60));

        assertThat(today.window()).isEqualTo(yesterday.window() + 1);
        assertThat(budget.spent("studio")).isEqualTo(Tokens.ZERO);
        assertThat(budget.reserved("studio")).isEqualTo(Tokens.of(100));
    }

    @Test
    void aClockThatStepsBackNeverReopensAnEarlierWindow() {
        clock.set(NEXT_MIDNIGHT);
        reserve("studio", 100);

        ReserveOutcome outcome = budget.tryReserve("studio", Tokens.of(1), NEXT_MIDNIGHT.minusSeconds(5));

        assertThat(outcome).isEqualTo(new Exhausted("studio", Tokens.ZERO, NEXT_MIDNIGHT.plus(DAY)));
    }

    @Test
    void oneTenantRunningDryLeavesTheOthersUntouched() {
        reserve("studio", 100);

        assertThat(budget.tryReserve("studio", Tokens.of(21), MORNING)).isInstanceOf(Exhausted.class);
        assertThat(budget.tryReserve("backend", Tokens.of(21), MORNING)).isInstanceOf(Reserved.class);
        assertThat(budget.tryReserve(null, Tokens.of(21), MORNING)).isInstanceOf(Reserved.class);
    }

    @Test
    void jobsWithoutATenantAndUnknownTenantsShareTheDefaultBudget() {
        Reservation anonymous = reserve(null, 20);
        Reservation stranger = reserve("stranger", 10);

        assertThat(anonymous.tenant()).isEqualTo(BudgetPolicy.DEFAULT_BUDGET);
        assertThat(stranger.tenant()).isEqualTo(BudgetPolicy.DEFAULT_BUDGET);
        assertThat(budget.remaining(BudgetPolicy.DEFAULT_BUDGET)).isEqualTo(Tokens.ZERO);
        assertThat(budget.tryReserve("another-stranger", Tokens.of(1), MORNING))
                .isEqualTo(new Exhausted(BudgetPolicy.DEFAULT_BUDGET, Tokens.ZERO, NEXT_MIDNIGHT));
    }

    @Test
    void theExhaustionPolicyIsReadPerTenant() {
        assertThat(budget.policy("studio")).isEqualTo(ExhaustionPolicy.WAIT);
        assertThat(budget.policy("backend")).isEqualTo(ExhaustionPolicy.REJECT);
        assertThat(budget.policy(null)).isEqualTo(ExhaustionPolicy.REJECT);
        assertThat(budget.policy("stranger")).isEqualTo(ExhaustionPolicy.REJECT);
    }

    @Test
    void listsEveryBudgetForMetrics() {
        assertThat(budget.tenants()).containsExactlyInAnyOrder("studio", "backend", BudgetPolicy.DEFAULT_BUDGET);
        assertThat(budget.remaining("backend")).isEqualTo(Tokens.of(50));
        assertThat(budget.overspend("backend")).isEqualTo(Tokens.ZERO);
    }

    @Test
    void pastWindowsAreDroppedOnceTheirReservationsAreClosed() {
        Reservation open = null;
        for (int day = 0; day < 30; day++) {
            Instant now = MORNING.plus(DAY.multipliedBy(day));
            clock.set(now);
            Reservation reservation = reserve("studio", 10);
            if (day == 3) {
                open = reservation;
            } else {
                budget.settle(reservation, Tokens.of(10));
            }
        }
        assertThat(budget.windowsHeld()).as("today and day 3, still open").isEqualTo(2);

        budget.release(open);

        assertThat(budget.windowsHeld()).isEqualTo(1);
    }

    @Test
    void anUnlimitedBudgetTakesEveryJob() {
        TokenBudget unlimited = new TokenBudget(BudgetPolicy.unlimited(), clock);

        for (int i = 0; i < 1_000; i++) {
            assertThat(unlimited.tryReserve("anyone", Tokens.of(105), MORNING)).isInstanceOf(Reserved.class);
        }

        assertThat(unlimited.reserved("anyone")).isEqualTo(Tokens.of(105_000));
        assertThat(unlimited.remaining(null)).isEqualTo(BudgetPolicy.UNLIMITED.minus(Tokens.of(105_000)));
    }

    @Test
    void rejectsANegativeCost() {
        assertThatThrownBy(() -> budget.tryReserve("studio", Tokens.of(-1), MORNING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cost");
        Reservation reservation = reserve("studio", 10);
        assertThatThrownBy(() -> budget.settle(reservation, Tokens.of(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actualCost");
    }

    private Reservation reserve(String tenant, long tokens) {
        ReserveOutcome outcome = budget.tryReserve(tenant, Tokens.of(tokens), clock.instant());
        assertThat(outcome).isInstanceOf(Reserved.class);
        return ((Reserved) outcome).reservation();
    }
}
