package dev.troupe.givon;

import dev.troupe.model.Tokens;
import java.util.Objects;
import java.util.Optional;

/**
 * Givon accepted a generation.
 *
 * @param generationId the id to follow; journal it before anything else
 * @param initial      the state in the POST answer; RUNNING with a null raw status when it had none
 * @param httpStatus   200, 201 or 202 as Givon answered
 */
public record Submission(String generationId, GenerationStatus initial, int httpStatus) {

    public Submission {
        Objects.requireNonNull(generationId, "generationId");
        Objects.requireNonNull(initial, "initial");
    }

    /** The cost the POST answer reported, if any. */
    public Optional<Tokens> reportedCost() {
        return initial.reportedCost();
    }
}
