package dev.troupe.testkit.guarantee;

import java.util.ArrayList;
import java.util.List;

/** Judges several guarantees at the end of one scenario. */
public final class Guarantees {

    private Guarantees() {
    }

    /**
     * Takes every guarantee's verdict and fails, with all of them in the message, when any is broken;
     * so one run shows everything that broke (a second generation and a second result and a stalled
     * partition), not only the first assertion reached.
     *
     * @return the verdicts, for a test that prints them when everything held
     */
    public static List<Verdict> assertAll(Guarantee... guarantees) {
        List<Verdict> verdicts = verdicts(guarantees);
        assertHeld("", verdicts);
        return verdicts;
    }

    /**
     * Fails when any of {@code verdicts} is broken, for a test that took them itself (to print them);
     * {@code context} (the scenario's figures, a seed) heads the message.
     */
    public static void assertHeld(String context, List<Verdict> verdicts) {
        long broken = verdicts.stream().filter(v -> !v.held()).count();
        if (broken > 0) {
            throw new AssertionError((context.isEmpty() ? "" : context + "\n") + broken + " of " + verdicts.size()
                    + " guarantees broken\n" + report(verdicts));
        }
    }

    /** Every guarantee's verdict, in order; a checker that throws counts as broken, with the exception. */
    public static List<Verdict> verdicts(Guarantee... guarantees) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Guarantee guarantee : guarantees) {
            try {
                verdicts.add(guarantee.verdict());
            } catch (RuntimeException e) {
                verdicts.add(new Verdict(guarantee.getClass().getSimpleName(), "could not be checked",
                        List.of(e.toString())));
            }
        }
        return verdicts;
    }

    /** The verdicts as text, broken ones first. */
    public static String report(List<Verdict> verdicts) {
        StringBuilder text = new StringBuilder();
        verdicts.stream().filter(v -> !v.held()).forEach(v -> text.append(v.report()).append('\n'));
        verdicts.stream().filter(Verdict::held).forEach(v -> text.append(v.report()).append('\n'));
        return text.toString().stripTrailing();
    }
}
