package dev.troupe.bench;

import java.util.Locale;

/** Numbers as the tables print them. */
final class Format {

    private Format() {
    }

    static String rate(double jobsPerSecond) {
        if (Double.isNaN(jobsPerSecond)) {
            return "-";
        }
        if (Double.isInfinite(jobsPerSecond)) {
            return "unbounded";
        }
        return String.format(Locale.ROOT, jobsPerSecond >= 100 ? "%,.0f" : "%,.1f", jobsPerSecond);
    }

    static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Whole tokens with thousands separators ("35,700,000"); a fraction as Tokens prints it. */
    static String tokens(dev.troupe.model.Tokens tokens) {
        return tokens.milli() % 1000 == 0 ? count(tokens.milli() / 1000) : tokens.toString();
    }

    static String bytes(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MiB", bytes / 1048576.0);
    }

    static String micros(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%,.1f", value);
    }

    /** CPU seconds, e.g. per 1,000 jobs: three significant digits down to a thousandth. */
    static String seconds(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : value >= 0.1 ? "%.2f" : "%.3f", value);
    }

    static String cores(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
