package dev.troupe.bench;

import java.util.Locale;

/** Progress lines on stderr, stamped with the seconds since the run started; stdout keeps the table. */
final class Progress {

    private final long start = System.nanoTime();

    void say(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[%4ds] %s%n", elapsedSeconds(), String.format(Locale.ROOT, format, args));
    }

    /** Only with {@code -Dbench.debug=true}: where a measurement spends its time. */
    void debug(String format, Object... args) {
        if (Boolean.getBoolean("bench.debug")) {
            say(format, args);
        }
    }

    long startNanos() {
        return start;
    }

    long elapsedSeconds() {
        return (System.nanoTime() - start) / 1_000_000_000L;
    }
}
