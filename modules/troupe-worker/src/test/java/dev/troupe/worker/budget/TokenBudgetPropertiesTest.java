package dev.troupe.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.ReserveOutcome.Exhausted;
import dev.troupe.worker.budget.ReserveOutcome.Reserved;
import dev.troupe.worker.budget.ReserveOutcome.TooLarge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Random reserve / settle / release / clock moves over several tenants with different windows,
 * checked step by step against a plain model of every (budget, window).
 */
class TokenBudgetPropertiesTest {

    private static final List<String> JOB_TENANTS = Arrays.asList("a", "b", null, "stranger");

    @Property(tries = 300)
    void reservedPlusSpentNeverExceedsTheLimitAndTheFiguresAddUp(
            @ForAll @LongRange(min = 1, max = 200_000) long limitA,
            @ForAll @LongRange(min = 1, max = 200_000) long limitB,
            @ForAll @LongRange(min = 1, max = 200_000) long limitDefault,
            @ForAll @Size(max = 500) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> steps) {
        Run run = new Run(new BudgetPolicy(
                Map.of("a", rule(limitA, Duration.ofHours(1)), "b", rule(limitB, Duration.ofMinutes(10))),
                rule(limitDefault, Duration.ofMinutes(30))));
        steps.forEach(run::step);
    }

    private static BudgetRule rule(long limitMilli, Duration window) {
        return new BudgetRule(Tokens.ofMilli(limitMilli), window, ExhaustionPolicy.WAIT);
    }

    private static final class Run {
        private final BudgetPolicy policy;
        private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:41:07.250Z"));
        private final TokenBudget budget;
        /** budget key -> window -> {reserved, settled} in milli-tokens. */
        private final Map<String, Map<Long, long[]>> model = new HashMap<>();
        private final List<Reservation> open = new ArrayList<>();
        private final List<Reservation> closed = new ArrayList<>();

        Run(BudgetPolicy policy) {
            this.policy = policy;
            this.budget = new TokenBudget(policy, clock);
        }

        void step(int choice) {
            int arg = choice / 10;
            switch (choice % 10) {
                case 0, 1, 2, 3 -> reserve(JOB_TENANTS.get(arg % JOB_TENANTS.size()), arg / JOB_TENANTS.size());
                case 4, 5 -> settleOne(arg);
                case 6 -> releaseOne(arg);
                case 7 -> closeAgain(arg);
                default -> clock.advance(Duration.ofMillis(arg % 1_200_000));
            }
            checkInvariants();
        }

        private void reserve(String tenant, int pick) {
            String key = policy.budgetKey(tenant);
            BudgetRule rule = policy.ruleFor(key);
            long limit = rule.limit().milli();
            // Mostly jobs well under the limit, some near or above it.
            long cost = pick % 5 == 0 ? (pick / 5) % (limit + limit / 10 + 2) : (pick / 5) % (limit / 4 + 1);
            Instant now = clock.instant();
            long window = rule.windowIndex(now);
            long[] totals = totals(key, window);
            long remaining = limit - totals[0] - totals[1];

            ReserveOutcome outcome = budget.tryReserve(tenant, Tokens.ofMilli(cost), now);

            if (cost > limit) {
                assertThat(outcome).isEqualTo(new TooLarge(key, Tokens.ofMilli(cost), rule.limit()));
            } else if (cost > remaining) {
                assertThat(outcome).isEqualTo(
                        new Exhausted(key, Tokens.ofMilli(remaining), rule.windowEnd(window)));
            } else {
                assertThat(outcome).as("fits: cost %d, remaining %d", cost, remaining).isInstanceOf(Reserved.class);
                Reservation reservation = ((Reserved) outcome).reservation();
                assertThat(reservation.tenant()).isEqualTo(key);
                assertThat(reservation.window()).isEqualTo(window);
                assertThat(reservation.amount()).isEqualTo(Tokens.ofMilli(cost));
                totals[0] += cost;
                open.add(reservation);
            }
        }

        private void settleOne(int pick) {
            if (open.isEmpty()) {
                return;
            }
            Reservation reservation = open.remove(pick % open.size());
            assertThat(budget.settle(reservation, reservation.amount())).isTrue();
            long[] totals = totals(reservation.tenant(), reservation.window());
            totals[0] -= reservation.amount().milli();
            totals[1] += reservation.amount().milli();
            closed.add(reservation);
        }

        private void releaseOne(int pick) {
            if (open.isEmpty()) {
                return;
            }
            Reservation reservation = open.remove(pick % open.size());
            assertThat(budget.release(reservation)).isTrue();
            totals(reservation.tenant(), reservation.window())[0] -= reservation.amount().milli();
            closed.add(reservation);
        }

        /** A second settle or release of the same reservation is ignored. */
        private void closeAgain(int pick) {
            if (closed.isEmpty()) {
                return;
            }
            Reservation reservation = closed.get(pick % closed.size());
            boolean applied = pick % 2 == 0
                    ? budget.settle(reservation, reservation.amount())
                    : budget.release(reservation);
            assertThat(applied).as("second close of %s", reservation).isFalse();
        }

        private void checkInvariants() {
            Instant now = clock.instant();
            model.forEach((key, windows) -> windows.forEach((window, totals) -> assertThat(totals[0] + totals[1])
                    .as("reserved + spent of %s in window %d", key, window)
                    .isLessThanOrEqualTo(policy.ruleFor(key).limit().milli())));
            for (String key : policy.budgetKeys()) {
                BudgetRule rule = policy.ruleFor(key);
                long[] current = model.getOrDefault(key, Map.of())
                        .getOrDefault(rule.windowIndex(now), new long[2]);
                assertThat(budget.reserved(key)).as("reserved of %s", key).isEqualTo(Tokens.ofMilli(current[0]));
                assertThat(budget.spent(key)).as("spent of %s = sum settled", key).isEqualTo(Tokens.ofMilli(current[1]));
                assertThat(budget.remaining(key)).as("remaining of %s", key)
                        .isEqualTo(Tokens.ofMilli(rule.limit().milli() - current[0] - current[1]));
            }
            Set<String> windowsWithOpenReservations = new HashSet<>();
            open.forEach(r -> windowsWithOpenReservations.add(r.tenant() + "@" + r.window()));
            assertThat(budget.windowsHeld()).as("bounded memory")
                    .isLessThanOrEqualTo(windowsWithOpenReservations.size() + policy.budgetKeys().size());
            assertThat(budget.overspend()).isEqualTo(Tokens.ZERO);
        }

        private long[] totals(String key, long window) {
            return model.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(window, w -> new long[2]);
        }
    }
}
