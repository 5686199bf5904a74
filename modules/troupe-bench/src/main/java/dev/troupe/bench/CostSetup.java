package dev.troupe.bench;

/**
 * One worker setup of a cost comparison run in alternating rounds ({@link CostRounds}): the journal
 * cost's a, b, c, the budget cost's a, b. How the tables name it, and what it changes in the deployment.
 */
interface CostSetup {

    /** "a", "b", ...: the tables' short name, in the order they list the setups. */
    String letter();

    String label();

    /** The setup's key in the JSON report. */
    String json();

    Deployment apply(Deployment deployment);

    /** "a: journal off, at-least-once" */
    default String title() {
        return letter() + ": " + label();
    }
}
