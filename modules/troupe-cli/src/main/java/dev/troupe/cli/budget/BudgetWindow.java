package dev.troupe.cli.budget;

import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.time.Instant;

/**
 * One window of one limited budget as {@code troupe budget} reports it, from {@code troupe.budget}.
 *
 * @param budget           the budget key: a configured tenant, or {@code *} (the default budget)
 * @param which            the window the clock is in, or the one before it
 * @param index            the window's index ({@code BudgetRule.windowIndex}), as settlements name it
 * @param start            first instant of the window (UTC, epoch-aligned)
 * @param end              first instant of the next window: when the budget refills
 * @param reserved         tokens held by open reservations
 * @param openReservations reservations granted and neither settled nor released yet
 * @param remaining        what the fleet may still grant: limit - spent - reserved, never below 0
 * @param overspend        tokens settled above their reservations (Givon charged more than estimated)
 * @param refusedJobs      distinct jobs whose reservation was refused as exhausted in this window and
 *                         that were not granted one later in it
 * @param complete         false when records of the window may have expired from the topic (retention),
 *                         so that its figures are a lower bound
 */
public record BudgetWindow(String budget, Which which, long index, Instant start, Instant end, ExhaustionPolicy policy,
                           Tokens limit, Tokens spent, Tokens reserved, int openReservations, Tokens remaining, Tokens overspend,
                           int refusedJobs, boolean complete) {

    /** Which window of a budget. */
    public enum Which { CURRENT, PREVIOUS }

    /**
     * Jobs waiting for this window's budget: the refused jobs when the budget waits ({@code on-exhausted:
     * wait}); none when it rejects (those jobs ended REJECTED).
     */
    public int parkedJobs() {
        return switch (policy) {
            case WAIT -> refusedJobs;
            case REJECT -> 0;
        };
    }
}
