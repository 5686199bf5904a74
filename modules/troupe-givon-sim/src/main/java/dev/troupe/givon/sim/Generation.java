package dev.troupe.givon.sim;

import dev.troupe.model.Tokens;

/**
 * One generation the simulator created. Its whole life is fixed at creation (times and outcome),
 * so its status at any instant is computed, never stored: no timer per generation.
 *
 * @param apiKeyLabel      the owner, as {@link ApiKeyLabel}
 * @param idempotencyKey   the request's {@code Idempotency-Key}, or null
 * @param queuedUntilNanos real time until which it reports queued
 * @param completesNanos   real time at which it ends
 * @param refundOnFailure  whether a failure gives the cost back
 */
record Generation(
        String id,
        String apiKeyLabel,
        String idempotencyKey,
        String model,
        Tokens cost,
        long queuedUntilNanos,
        long completesNanos,
        Outcome outcome,
        boolean refundOnFailure) {

    Phase phaseAt(long nowNanos) {
        if (nowNanos - completesNanos >= 0) {
            return outcome.succeeds() ? Phase.SUCCEEDED : Phase.FAILED;
        }
        return nowNanos - queuedUntilNanos < 0 ? Phase.QUEUED : Phase.PROCESSING;
    }

    /** What the account is charged once the generation has ended. */
    Tokens finalCost() {
        return outcome.succeeds() || !refundOnFailure ? cost : Tokens.ZERO;
    }
}
