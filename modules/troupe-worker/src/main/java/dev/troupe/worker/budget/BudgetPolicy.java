package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Budgets per tenant. Configured tenants each have their own {@link BudgetRule}; jobs without a tenant
 * and jobs of tenants not configured all share one budget, {@link #DEFAULT_BUDGET}, under
 * {@code defaultRule}. Sharing (rather than a fresh default budget per unknown name) keeps the total
 * spend bounded whatever tenant names producers invent.
 *
 * @param tenants     rule per configured tenant name
 * @param defaultRule the rule of the shared default budget
 */
public record BudgetPolicy(Map<String, BudgetRule> tenants, BudgetRule defaultRule) {

    /** The budget key of jobs without a tenant or with an unconfigured one. */
    public static final String DEFAULT_BUDGET = dev.troupe.model.BudgetEntry.DEFAULT_BUDGET;

    /** The limit of {@link #unlimited()}: a quarter of the largest amount, so adding to it never overflows. */
    public static final Tokens UNLIMITED = Tokens.ofMilli(Long.MAX_VALUE / 4);

    public BudgetPolicy {
        if (tenants == null) {
            throw new IllegalArgumentException("tenants is required");
        }
        if (defaultRule == null) {
            throw new IllegalArgumentException("defaultRule is required");
        }
        for (Map.Entry<String, BudgetRule> entry : tenants.entrySet()) {
            String tenant = entry.getKey();
            if (tenant == null || tenant.isBlank()) {
                throw new IllegalArgumentException("tenants: a tenant name must not be blank");
            }
            if (tenant.equals(DEFAULT_BUDGET)) {
                throw new IllegalArgumentException(
                        "tenants: '" + DEFAULT_BUDGET + "' is reserved for the default budget; use defaultRule");
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("tenants." + tenant + " is required");
            }
        }
        tenants = Map.copyOf(tenants);
    }

    /** Every job under the same rule, whatever its tenant. */
    public static BudgetPolicy shared(BudgetRule rule) {
        return new BudgetPolicy(Map.of(), rule);
    }

    /**
     * No practical limit: one shared budget of {@link #UNLIMITED} tokens per day (sums of it cannot
     * overflow). For demos and tests; production configures real limits.
     */
    public static BudgetPolicy unlimited() {
        return shared(new BudgetRule(UNLIMITED, Duration.ofDays(1), ExhaustionPolicy.WAIT));
    }

    /** The budget a job of this tenant is charged to: the tenant itself or {@link #DEFAULT_BUDGET}. */
    public String budgetKey(String tenantOrNull) {
        return tenantOrNull != null && tenants.containsKey(tenantOrNull) ? tenantOrNull : DEFAULT_BUDGET;
    }

    public BudgetRule ruleFor(String tenantOrNull) {
        return tenantOrNull == null ? defaultRule : tenants.getOrDefault(tenantOrNull, defaultRule);
    }

    /** The configured tenants and {@link #DEFAULT_BUDGET}. */
    public Set<String> budgetKeys() {
        Set<String> keys = new HashSet<>(tenants.keySet());
        keys.add(DEFAULT_BUDGET);
        return Set.copyOf(keys);
    }
}
