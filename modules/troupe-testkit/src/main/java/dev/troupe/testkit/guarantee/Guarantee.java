package dev.troupe.testkit.guarantee;

/**
 * A promise Troupe makes to its users (DESIGN.md "Guarantees"), checked over a whole scenario: fed
 * while the scenario runs (the jobs it sends, the moments it kills something), judged at its end.
 * One checker serves every test that makes the promise, so no test re-implements the check.
 *
 * <p>Judge several at once with {@link Guarantees#assertAll}: a failing test then shows every broken
 * guarantee, not only the first.
 */
public interface Guarantee {

    /** Looks at the system now (reads topics, the ledger, offsets) and says whether the guarantee held. */
    Verdict verdict();

    /** Fails with the verdict's report when the guarantee is broken. */
    default void assertHeld() {
        Guarantees.assertAll(this);
    }
}
