package dev.troupe.givon;

import dev.troupe.givon.sim.Faults;
import dev.troupe.givon.sim.GivonSimulator;

/** Shared simulator chores of the test classes. */
final class Simulators {

    private Simulators() {
    }

    /** Back to a well-behaved Givon between tests that share one simulator. */
    static void resetFaults(GivonSimulator simulator) {
        Faults none = Faults.NONE;
        simulator.reconfigure(f -> f
                .serverErrorRate(none.serverErrorRate())
                .unansweredRate(none.unansweredRate())
                .dropBeforeCreate(none.dropBeforeCreate())
                .failureRate(none.failureRate())
                .unknownStatusRate(none.unknownStatusRate())
                .concurrencyCapPerKey(none.concurrencyCapPerKey())
                .retryAfter(none.retryAfter())
                .retryAfterFormat(none.retryAfterFormat())
                .tokenBalance(none.tokenBalance())
                .refundFailed(none.refundFailed())
                .honourIdempotencyKey(none.honourIdempotencyKey())
                .dialect(none.dialect()));
    }
}
