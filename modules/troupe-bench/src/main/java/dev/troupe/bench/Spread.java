package dev.troupe.bench;

import java.util.Arrays;
import java.util.Locale;

/** The median and range of a few repeated figures (NaN ones, from failed windows, left out). */
record Spread(double median, double min, double max, int count) {

    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    static Spread of(double... values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return NONE;
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** "median (min–max)" with each number as {@code format} prints it. */
    String render(java.util.function.DoubleFunction<String> format) {
        if (count == 0) {
            return "-";
        }
        return count == 1 ? format.apply(median)
                : String.format(Locale.ROOT, "%s (%s–%s)", format.apply(median), format.apply(min), format.apply(max));
    }
}
