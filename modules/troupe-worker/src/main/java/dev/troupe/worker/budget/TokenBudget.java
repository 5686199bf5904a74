package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.ReserveOutcome.Exhausted;
import dev.troupe.worker.budget.ReserveOutcome.Reserved;
import dev.troupe.worker.budget.ReserveOutcome.TooLarge;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Token budgets per tenant and window: a job's estimated cost is reserved before it is submitted and
 * settled (or released) when it ends, so reserved + spent never exceeds a window's limit as long as
 * Givon charges no more than the estimate.
 *
 * <p>If Givon does charge more than was reserved, {@link #settle} still records the real cost: the
 * excess is counted as spent and in {@link #overspend}, {@link #remaining} drops to zero (never
 * negative) and the tenant gets no more reservations in that window. That is the one way spent can
 * pass the limit, and the overspend counter makes it visible.
 *
 * <p>A reservation counts in the window it was made in, even when settled after the window rolled.
 * Past windows are dropped once they have no open reservation. Thread-safe: the event loop drives it,
 * metrics read it ({@link #reserved}, {@link #spent}, {@link #remaining} use the clock for "current").
 */
public final class TokenBudget implements Budgets {

    private final BudgetPolicy policy;
    private final Clock clock;
    private final Map<String, TenantLedger> ledgers = new HashMap<>();
    private final Set<Reservation> open = new HashSet<>();
    private long lastId;

    public TokenBudget(BudgetPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Budget keys are the configured tenants plus the shared default: a fixed, bounded set.
        for (String key : policy.budgetKeys()) {
            ledgers.put(key, new TenantLedger(policy.ruleFor(key)));
        }
    }

    /**
     * Sets {@code cost} aside in the tenant's current window if it fits.
     *
     * @param tenantOrNull the job's tenant; {@code null} or an unconfigured name is charged to the
     *                     default budget
     */
    public synchronized ReserveOutcome tryReserve(String tenantOrNull, Tokens cost, Instant now) {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(now, "now");
        if (cost.isNegative()) {
            throw new IllegalArgumentException("cost must not be negative, was " + cost);
        }
        String key = policy.budgetKey(tenantOrNull);
        TenantLedger ledger = ledgers.get(key);
        BudgetRule rule = ledger.rule();
        if (cost.exceeds(rule.limit())) {
            return new TooLarge(key, cost, rule.limit());
        }
        long window = ledger.advanceTo(now);
        Tokens remaining = ledger.remaining(window);
        if (cost.exceeds(remaining)) {
            return new Exhausted(key, remaining, rule.windowEnd(window));
        }
        Reservation reservation = new Reservation(++lastId, key, window, cost);
        ledger.reserve(window, cost);
        open.add(reservation);
        return new Reserved(reservation);
    }

    @Override
    public CompletableFuture<ReserveOutcome> reserve(String tenantOrNull, String jobId, Tokens cost, Instant now) {
        return CompletableFuture.completedFuture(tryReserve(tenantOrNull, cost, now));
    }

    @Override
    public boolean settle(Reservation reservation, String jobId, Tokens actualCost) {
        return settle(reservation, actualCost);
    }

    @Override
    public boolean release(Reservation reservation, String jobId) {
        return release(reservation);
    }

    /**
     * The job ended and Givon charged {@code actualCost} (normally the reserved amount).
     *
     * @return {@code false} if the reservation was already settled or released (the call is ignored)
     */
    public synchronized boolean settle(Reservation reservation, Tokens actualCost) {
        Objects.requireNonNull(actualCost, "actualCost");
        if (actualCost.isNegative()) {
            throw new IllegalArgumentException("actualCost must not be negative, was " + actualCost);
        }
        if (!open.remove(reservation)) {
            return false;
        }
        ledgers.get(reservation.tenant()).settle(reservation, actualCost);
        return true;
    }

    /**
     * Givon never accepted the job: nothing was spent and the reserved tokens are available again.
     *
     * @return {@code false} if the reservation was already settled or released (the call is ignored)
     */
    public synchronized boolean release(Reservation reservation) {
        if (!open.remove(reservation)) {
            return false;
        }
        ledgers.get(reservation.tenant()).release(reservation);
        return true;
    }

    /** Tokens reserved by open reservations in the tenant's current window. */
    @Override
    public synchronized Tokens reserved(String tenant) {
        return ledger(tenant).reserved(clock.instant());
    }

    /** Tokens settled in the tenant's current window. */
    @Override
    public synchronized Tokens spent(String tenant) {
        return ledger(tenant).spent(clock.instant());
    }

    /** limit - reserved - spent in the tenant's current window, never below zero. */
    @Override
    public synchronized Tokens remaining(String tenant) {
        return ledger(tenant).remaining(clock.instant());
    }

    /** Tokens charged above their reservations since start, for this tenant's budget. */
    public synchronized Tokens overspend(String tenant) {
        return ledger(tenant).overspend();
    }

    /** Tokens charged above their reservations since start, over all budgets. */
    @Override
    public synchronized Tokens overspend() {
        Tokens total = Tokens.ZERO;
        for (TenantLedger ledger : ledgers.values()) {
            total = total.plus(ledger.overspend());
        }
        return total;
    }

    @Override
    public ExhaustionPolicy policy(String tenantOrNull) {
        return policy.ruleFor(tenantOrNull).onExhausted();
    }

    /** The budget a tenant's jobs are charged to: a configured tenant, or {@link BudgetPolicy#DEFAULT_BUDGET}. */
    @Override
    public String budgetKey(String tenantOrNull) {
        return policy.budgetKey(tenantOrNull);
    }

    /** The budget keys: configured tenants and {@link BudgetPolicy#DEFAULT_BUDGET}. */
    public Set<String> tenants() {
        return policy.budgetKeys();
    }

    synchronized int windowsHeld() {
        int held = 0;
        for (TenantLedger ledger : ledgers.values()) {
            held += ledger.windowsHeld();
        }
        return held;
    }

    private TenantLedger ledger(String tenant) {
        return ledgers.get(policy.budgetKey(tenant));
    }
}
