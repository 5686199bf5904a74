package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import java.time.Instant;

/** The answer of {@link TokenBudget#tryReserve}. */
public sealed interface ReserveOutcome {

    /** The cost is set aside; submit the job, then settle or release the reservation. */
    record Reserved(Reservation reservation) implements ReserveOutcome {
    }

    /**
     * The window has less than the cost left; the budget refills at {@code resumesAt}. The runner
     * waits or rejects according to the tenant's {@link ExhaustionPolicy}.
     */
    record Exhausted(String tenant, Tokens remaining, Instant resumesAt) implements ReserveOutcome {
    }

    /** The job alone costs more than a whole window's limit: it can never run, reject it. */
    record TooLarge(String tenant, Tokens cost, Tokens limit) implements ReserveOutcome {
    }
}
