package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;

/**
 * Tokens set aside for one job in one budget window, until the job is settled or released.
 *
 * @param id     unique within its {@link TokenBudget}, so two equal costs are two reservations
 * @param tenant the budget key charged (a configured tenant or {@link BudgetPolicy#DEFAULT_BUDGET})
 * @param window the window index ({@link BudgetRule#windowIndex}) it counts in, even if settled later
 * @param amount the tokens reserved
 */
public record Reservation(long id, String tenant, long window, Tokens amount) {
}
