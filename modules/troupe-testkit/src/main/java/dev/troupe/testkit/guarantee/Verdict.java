package dev.troupe.testkit.guarantee;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Guarantee} found at the end of a scenario.
 *
 * @param guarantee the checker's name, e.g. {@code NoDoublePay}
 * @param summary   one line: what was checked, and how much of it broke
 * @param breaches  one line per break, each naming what broke (a jobId, a partition); empty when it held
 */
public record Verdict(String guarantee, String summary, List<String> breaches) {

    /** Breach lines shown per guarantee in a report; the rest are counted. */
    public static final int MAX_LINES = 25;

    public Verdict {
        Objects.requireNonNull(guarantee, "guarantee");
        Objects.requireNonNull(summary, "summary");
        breaches = List.copyOf(breaches);
    }

    public boolean held() {
        return breaches.isEmpty();
    }

    /** The verdict as a person reads it: a headline, then the first {@link #MAX_LINES} breaches. */
    public String report() {
        StringBuilder text = new StringBuilder(guarantee).append(held() ? " held: " : " BROKEN: ").append(summary);
        breaches.stream().limit(MAX_LINES).forEach(line -> text.append("\n    ").append(line));
        if (breaches.size() > MAX_LINES) {
            text.append("\n    ... and ").append(breaches.size() - MAX_LINES).append(" more");
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
