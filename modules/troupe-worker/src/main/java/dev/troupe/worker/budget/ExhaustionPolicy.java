package dev.troupe.worker.budget;

/** What the runner does with a tenant's job once that tenant's budget window is spent. */
public enum ExhaustionPolicy {
    /** Leave the job in Kafka (pause) and take it when the next window starts. */
    WAIT,
    /** Finish the job at once with a REJECTED result that says the budget is spent. */
    REJECT
}
