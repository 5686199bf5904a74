package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Where the runner reserves, settles and releases a job's tokens: this worker's own ledger
 * ({@link TokenBudget}, {@code budget.scope: worker}) or the fleet's ({@link FleetBudget}, the
 * default), whose limited budgets are decided in {@code troupe.budget}'s log order.
 */
public interface Budgets extends AutoCloseable {

    /**
     * Asks for {@code cost} of the tenant's budget for a job. Completes at once for a budget this
     * worker decides alone; otherwise once the fleet's log has decided, on a thread of its own.
     */
    CompletableFuture<ReserveOutcome> reserve(String tenantOrNull, String jobId, Tokens cost, Instant now);

    /** The job ended and Givon charged {@code actualCost}; false if the reservation was closed already. */
    boolean settle(Reservation reservation, String jobId, Tokens actualCost);

    /** Givon never accepted the job: the tokens are free again; false if the reservation was closed already. */
    boolean release(Reservation reservation, String jobId);

    /**
     * The job moves to its partition's next owner while Givon may hold it: that owner asks for the
     * job's budget again. A worker's own budget gives the tokens back (the next owner reserves from its
     * own); the fleet's keeps the reservation in the log, where the next owner's request finds it.
     */
    default void handOver(Reservation reservation, String jobId) {
        release(reservation, jobId);
    }

    ExhaustionPolicy policy(String tenantOrNull);

    String budgetKey(String tenantOrNull);

    /** Of the tenant's budget in its current window, as this worker sees it. */
    Tokens reserved(String tenant);

    Tokens spent(String tenant);

    Tokens remaining(String tenant);

    /** Tokens charged above their reservations, as this worker sees them. */
    Tokens overspend();

    /** Completes once the budgets can answer (a fleet's log read up to its end); at once for a worker's own. */
    default CompletableFuture<Void> start() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    default void close() {
    }
}
