package dev.troupe.givon.sim;

/** Where a generation is in its life at a given instant. */
enum Phase {
    QUEUED, PROCESSING, SUCCEEDED, FAILED;

    boolean terminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
