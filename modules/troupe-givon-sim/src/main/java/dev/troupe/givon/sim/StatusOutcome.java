package dev.troupe.givon.sim;

/** What the simulated Givon answers to {@code GET /api/v1/generations/{id}}. */
sealed interface StatusOutcome {

    record ServerFault(int status) implements StatusOutcome {
    }

    /** A proxy's HTML page with a 200, in place of the status. */
    record Garbled() implements StatusOutcome {
    }

    /** No generation with that id for this key: 404. */
    record NotFound(String id) implements StatusOutcome {
    }

    /**
     * The generation as of now; {@code undocumentedStatus} replaces the running status when not null.
     */
    record Found(Generation generation, Phase phase, String undocumentedStatus) implements StatusOutcome {
    }
}
