package dev.troupe.givon.sim;

import dev.troupe.model.Tokens;
import java.time.Duration;

/** What the simulated Givon does with a valid POST, decided in the order {@link SimulatedGivon} lists. */
sealed interface SubmitOutcome {

    /**
     * A 5xx: before anything was created ({@code created == false}, with a {@code Retry-After} when
     * {@code retryAfter} is not null), or after the generation was created and charged.
     */
    record ServerFault(int status, boolean created, Duration retryAfter, RetryAfterFormat format)
            implements SubmitOutcome {
    }

    /** The key is at its concurrency cap: 429. */
    record Throttled(int cap, Duration retryAfter, RetryAfterFormat format) implements SubmitOutcome {
    }

    /** The generation costs more than the account has left: 402. */
    record OutOfCredits(Tokens cost, Tokens left) implements SubmitOutcome {
    }

    /**
     * A generation exists for this request: new ({@code replay == false}) or found by its
     * Idempotency-Key; {@code phase} is where it is now.
     */
    record Accepted(Generation generation, Phase phase, boolean replay) implements SubmitOutcome {
    }

    /** The request is never answered; {@code created} tells whether a generation was made and charged first. */
    record Unanswered(boolean created) implements SubmitOutcome {
    }
}
