package dev.troupe.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.model.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetPolicyTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final BudgetRule STUDIO = new BudgetRule(Tokens.of(50_000), DAY, ExhaustionPolicy.WAIT);
    private static final BudgetRule FALLBACK = new BudgetRule(Tokens.of(1_000), DAY, ExhaustionPolicy.REJECT);

    @Test
    void aConfiguredTenantHasItsOwnRuleAndEveryoneElseSharesTheDefault() {
        BudgetPolicy policy = new BudgetPolicy(Map.of("studio", STUDIO), FALLBACK);

        assertThat(policy.ruleFor("studio")).isEqualTo(STUDIO);
        assertThat(policy.ruleFor("stranger")).isEqualTo(FALLBACK);
        assertThat(policy.ruleFor(null)).isEqualTo(FALLBACK);
        assertThat(policy.budgetKey("studio")).isEqualTo("studio");
        assertThat(policy.budgetKey("stranger")).isEqualTo(BudgetPolicy.DEFAULT_BUDGET);
        assertThat(policy.budgetKey(null)).isEqualTo(BudgetPolicy.DEFAULT_BUDGET);
        assertThat(policy.budgetKeys()).containsExactlyInAnyOrder("studio", BudgetPolicy.DEFAULT_BUDGET);
    }

    @Test
    void theTenantMapIsCopied() {
        Map<String, BudgetRule> tenants = new HashMap<>(Map.of("studio", STUDIO));
        BudgetPolicy policy = new BudgetPolicy(tenants, FALLBACK);

        tenants.put("late", STUDIO);

        assertThat(policy.ruleFor("late")).isEqualTo(FALLBACK);
    }

    @Test
    void windowsAreAlignedToTheEpochSoEveryWorkerAgrees() {
        BudgetRule daily = new BudgetRule(Tokens.of(10), DAY, ExhaustionPolicy.WAIT);
        Instant lateEvening = Instant.parse("2026-03-01T23:59:59.999Z");
        Instant midnight = Instant.parse("2026-03-02T00:00:00Z");

        long window = daily.windowIndex(lateEvening);

        assertThat(daily.windowIndex(Instant.parse("2026-03-01T00:00:00Z"))).isEqualTo(window);
        assertThat(daily.windowIndex(midnight)).isEqualTo(window + 1);
        assertThat(daily.windowStart(window)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(daily.windowEnd(window)).isEqualTo(midnight);
    }

    @Test
    void instantsBeforeTheEpochFallInTheWindowThatContainsThem() {
        BudgetRule hourly = new BudgetRule(Tokens.of(10), Duration.ofHours(1), ExhaustionPolicy.WAIT);
        Instant beforeEpoch = Instant.parse("1969-12-31T23:30:00Z");

        long window = hourly.windowIndex(beforeEpoch);

        assertThat(window).isEqualTo(-1);
        assertThat(hourly.windowEnd(window)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void anInvalidRuleNamesTheField() {
        assertThatThrownBy(() -> new BudgetRule(Tokens.ZERO, DAY, ExhaustionPolicy.WAIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be greater than 0, was 0");
        assertThatThrownBy(() -> new BudgetRule(null, DAY, ExhaustionPolicy.WAIT))
                .hasMessage("limit is required");
        assertThatThrownBy(() -> new BudgetRule(Tokens.of(1), Duration.ZERO, ExhaustionPolicy.WAIT))
                .hasMessageStartingWith("window must be");
        assertThatThrownBy(() -> new BudgetRule(Tokens.of(1), Duration.ofNanos(1_500_000), ExhaustionPolicy.WAIT))
                .hasMessageStartingWith("window must be");
        assertThatThrownBy(() -> new BudgetRule(Tokens.of(1), null, ExhaustionPolicy.WAIT))
                .hasMessage("window is required");
        assertThatThrownBy(() -> new BudgetRule(Tokens.of(1), DAY, null))
                .hasMessage("onExhausted is required");
    }

    @Test
    void anInvalidPolicyNamesTheField() {
        assertThatThrownBy(() -> new BudgetPolicy(Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("defaultRule is required");
        assertThatThrownBy(() -> new BudgetPolicy(null, FALLBACK))
                .hasMessage("tenants is required");
        assertThatThrownBy(() -> new BudgetPolicy(Map.of(" ", STUDIO), FALLBACK))
                .hasMessage("tenants: a tenant name must not be blank");
        assertThatThrownBy(() -> new BudgetPolicy(Map.of(BudgetPolicy.DEFAULT_BUDGET, STUDIO), FALLBACK))
                .hasMessageContaining("reserved for the default budget");
        Map<String, BudgetRule> withNull = new HashMap<>();
        withNull.put("studio", null);
        assertThatThrownBy(() -> new BudgetPolicy(withNull, FALLBACK))
                .hasMessage("tenants.studio is required");
    }
}
