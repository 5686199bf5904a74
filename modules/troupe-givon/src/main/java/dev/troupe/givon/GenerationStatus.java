package dev.troupe.givon;

import dev.troupe.model.Tokens;
import java.util.Objects;
import java.util.Optional;

/**
 * What Givon says about one generation, normalised.
 *
 * @param generationId  Givon's id
 * @param phase         the normalised phase
 * @param rawStatus     the status word exactly as Givon sent it, null when it sent none
 * @param videoUrl      the output URL when Givon gave one (may expire), else null
 * @param failureReason Givon's explanation of a failure, else null
 * @param reportedCost  the cost Givon reported, if any
 */
public record GenerationStatus(
        String generationId,
        Phase phase,
        String rawStatus,
        String videoUrl,
        String failureReason,
        Optional<Tokens> reportedCost) {

    /** The normalised life cycle of a generation. */
    public enum Phase {
        RUNNING, SUCCEEDED, FAILED;

        public boolean isTerminal() {
            return this != RUNNING;
        }
    }

    public GenerationStatus {
        Objects.requireNonNull(generationId, "generationId");
        Objects.requireNonNull(phase, "phase");
        reportedCost = reportedCost == null ? Optional.empty() : reportedCost;
    }

    /** A generation known to exist but whose state has not been read yet. */
    public static GenerationStatus unknown(String generationId) {
        return new GenerationStatus(generationId, Phase.RUNNING, null, null, null, Optional.empty());
    }

    public boolean isTerminal() {
        return phase.isTerminal();
    }
}
