package dev.troupe.cli.view;

import dev.troupe.model.Tokens;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;

/** How the CLI writes numbers: {@code 1,680} tokens, {@code 3.2} jobs/s, {@code 1m 05s}. */
public final class Numbers {

    private Numbers() {
    }

    public static String tokens(Tokens tokens) {
        BigDecimal value = tokens.toBigDecimal();
        DecimalFormat format = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(value);
    }

    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /**
     * A count and its noun, singular for exactly one: {@code 1 job}, {@code 0 jobs}, {@code 1,057 jobs}.
     * For the nouns the CLI counts (job, result, record, character, motion, prompt, generation, partition,
     * problem), whose plural adds an s.
     */
    public static String count(long value, String singular) {
        return count(value) + " " + (value == 1 ? singular : singular + "s");
    }

    /** {@code jobs}, or {@code job} when there is exactly one: for "3 of 1 job" style phrases. */
    public static String noun(long value, String singular) {
        return value == 1 ? singular : singular + "s";
    }

    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, perSecond >= 10 ? "%.0f" : "%.1f", perSecond);
    }

    /** {@code 8s}, {@code 1m 05s}, {@code 2h 03m}. */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, (duration.toMillis() + 500) / 1000);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** Seconds with one decimal, for start-up steps: {@code 1.9 s}. */
    public static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
