package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's budgets (DESIGN.md "Fleet quotas"): a limited budget is decided by {@link FleetBudgetLog}
 * in {@code troupe.budget}'s log order, the same for every worker, so N workers spend at most its limit
 * together; an unlimited one ({@link BudgetPolicy#UNLIMITED}) never touches the log and is kept here
 * alone ({@link TokenBudget}). A job too large for a whole window is refused without a record.
 */
public final class FleetBudget implements Budgets {

    private static final Logger log = LoggerFactory.getLogger(FleetBudget.class);

    private final BudgetPolicy policy;
    private final TokenBudget unlimited;
    private final FleetBudgetLog fleet;
    private final Clock clock;
    private final Set<Reservation> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final Set<String> limitedKeys;
    private volatile ObjLongConsumer<String> reservationTimes = (key, nanos) -> { };

    /** @param fleet made with {@link #limited(BudgetPolicy)}'s rules; closed with this */
    public FleetBudget(BudgetPolicy policy, FleetBudgetLog fleet, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.unlimited = new TokenBudget(policy, clock);
        this.limitedKeys = limited(policy).keySet();
    }

    /** The policy's budgets that have a limit, by budget key: the ones the fleet decides through the log. */
    public static Map<String, BudgetRule> limited(BudgetPolicy policy) {
        Map<String, BudgetRule> limited = new HashMap<>();
        for (String key : policy.budgetKeys()) {
            BudgetRule rule = policy.ruleFor(key);
            if (BudgetPolicy.UNLIMITED.exceeds(rule.limit())) {
                limited.put(key, rule);
            }
        }
        return Map.copyOf(limited);
    }

    /** Told, on the budget reader's thread, how long each reservation took from request to decision, by budget key. */
    public void observeReservations(ObjLongConsumer<String> observer) {
        reservationTimes = Objects.requireNonNull(observer, "observer");
    }

    private boolean isLimited(String key) {
        return limitedKeys.contains(key);
    }

    @Override
    public CompletableFuture<ReserveOutcome> reserve(String tenantOrNull, String jobId, Tokens cost, Instant now) {
        String key = policy.budgetKey(tenantOrNull);
        if (!isLimited(key)) {
            return unlimited.reserve(tenantOrNull, jobId, cost, now);
        }
        BudgetRule rule = policy.ruleFor(key);
        if (cost.exceeds(rule.limit())) {
            return CompletableFuture.completedFuture(new ReserveOutcome.TooLarge(key, cost, rule.limit()));
        }
        long asked = System.nanoTime();
        return fleet.reserve(key, jobId, cost)
                .whenComplete((decision, failure) -> reservationTimes.accept(key, System.nanoTime() - asked))
                .thenApply(outcome(key, cost));
    }

    private Function<FleetLedger.Decision, ReserveOutcome> outcome(String key, Tokens cost) {
        return decision -> {
            if (decision instanceof FleetLedger.Granted granted) {
                Reservation reservation = new Reservation(ids.incrementAndGet(), key, granted.window(), granted.amount());
                open.add(reservation);
                return new ReserveOutcome.Reserved(reservation);
            }
            if (decision instanceof FleetLedger.Exhausted exhausted) {
                return new ReserveOutcome.Exhausted(key, exhausted.remaining(), exhausted.resumesAt());
            }
            if (decision instanceof FleetLedger.TooLarge tooLarge) {
                return new ReserveOutcome.TooLarge(key, cost, tooLarge.limit());
            }
            throw new IllegalStateException("a request was answered with " + decision);
        };
    }

    @Override
    public boolean settle(Reservation reservation, String jobId, Tokens actualCost) {
        if (!isLimited(reservation.tenant())) {
            return unlimited.settle(reservation, actualCost);
        }
        if (!open.remove(reservation)) {
            return false;
        }
        fleet.settle(reservation.tenant(), jobId, reservation.window(), actualCost).whenComplete((sent, error) -> {
            if (error != null) {
                log.error("budget {}: the settlement of job {} ({} tokens) was not written: the fleet counts its reservation "
                        + "until the window rolls: {}", reservation.tenant(), jobId, actualCost, error.toString());
            }
        });
        return true;
    }

    @Override
    public boolean release(Reservation reservation, String jobId) {
        if (!isLimited(reservation.tenant())) {
            return unlimited.release(reservation);
        }
        if (!open.remove(reservation)) {
            return false;
        }
        fleet.release(reservation.tenant(), jobId, reservation.window()).whenComplete((sent, error) -> {
            if (error != null) {
                log.warn("budget {}: the release of job {} was not written: its tokens stay reserved until the window rolls: {}",
                        reservation.tenant(), jobId, error.toString());
            }
        });
        return true;
    }

    @Override
    public void handOver(Reservation reservation, String jobId) {
        if (isLimited(reservation.tenant())) {
            open.remove(reservation); // left in the log for the next owner, who settles it
        } else {
            unlimited.release(reservation);
        }
    }

    @Override
    public ExhaustionPolicy policy(String tenantOrNull) {
        return policy.ruleFor(tenantOrNull).onExhausted();
    }

    @Override
    public String budgetKey(String tenantOrNull) {
        return policy.budgetKey(tenantOrNull);
    }

    @Override
    public Tokens reserved(String tenant) {
        return isLimited(budgetKey(tenant)) ? fleetWindow(budgetKey(tenant)).reserved() : unlimited.reserved(tenant);
    }

    @Override
    public Tokens spent(String tenant) {
        return isLimited(budgetKey(tenant)) ? fleetWindow(budgetKey(tenant)).spent() : unlimited.spent(tenant);
    }

    @Override
    public Tokens remaining(String tenant) {
        return isLimited(budgetKey(tenant)) ? fleetWindow(budgetKey(tenant)).remaining() : unlimited.remaining(tenant);
    }

    @Override
    public Tokens overspend() {
        Tokens total = unlimited.overspend();
        for (String key : limitedKeys) {
            total = total.plus(fleetWindow(key).overspend());
        }
        return total;
    }

    /** A limited budget's current window as the log says; a fresh one when the log has no record of it yet. */
    private FleetLedger.WindowState fleetWindow(String key) {
        BudgetRule rule = policy.ruleFor(key);
        long now = rule.windowIndex(clock.instant());
        FleetLedger.WindowState seen = fleet.window(key);
        return seen != null && seen.window() == now ? seen
                : new FleetLedger.WindowState(now, Tokens.ZERO, Tokens.ZERO, 0, Tokens.ZERO, rule.limit());
    }

    @Override
    public CompletableFuture<Void> start() {
        return fleet.start();
    }

    @Override
    public void close() {
        fleet.close();
    }
}
