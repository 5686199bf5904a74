package dev.troupe.givon.sim;

/**
 * How a generation will end, drawn when it is created.
 *
 * @param failureReason why it fails, or null when it succeeds
 */
record Outcome(String failureReason) {

    static final Outcome SUCCEEDS = new Outcome(null);

    static Outcome failsBecause(String reason) {
        return new Outcome(reason);
    }

    boolean succeeds() {
        return failureReason == null;
    }
}
