package dev.troupe.givon;

import java.time.Instant;
import java.util.Objects;

/**
 * A generation to follow, with what the poll schedule needs to start it near the model's expected
 * generation time ({@link PollStart}).
 *
 * @param generationId  Givon's id
 * @param model         the model it runs on (the learned start is per model)
 * @param acceptedAt    when Givon accepted it (the schedule counts from there)
 * @param submittedHere whether this client watches it from its acceptance (it submitted it just now), so
 *                      that what its reads see teaches the model's start; false for a generation taken
 *                      over from another worker, whose early life nobody here saw
 */
public record AcceptedGeneration(String generationId, String model, Instant acceptedAt, boolean submittedHere) {

    public AcceptedGeneration {
        Objects.requireNonNull(generationId, "generationId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }
}
