package dev.troupe.cli;

import java.io.Console;
import java.util.Map;

/**
 * What a command may know about the process it runs in; tests build their own.
 *
 * @param environment the environment variables (configuration overrides, GIVON_API_KEY)
 * @param terminal    output goes to a terminal: progress is a redrawn bar instead of periodic lines
 */
public record CliContext(Map<String, String> environment, boolean terminal) {

    /** The width assumed when {@code COLUMNS} is not set (the launcher sets it from the terminal) or not a width. */
    public static final int DEFAULT_COLUMNS = 80;
    static final int MIN_COLUMNS = 10;
    static final int MAX_COLUMNS = 1_000;

    public CliContext {
        environment = Map.copyOf(environment);
    }

    /** The terminal's width in characters: {@code COLUMNS} when it is a whole number 10..1000, else 80. */
    public int columns() {
        String value = environment.get("COLUMNS");
        if (value == null) {
            return DEFAULT_COLUMNS;
        }
        try {
            int columns = Integer.parseInt(value.trim());
            return columns >= MIN_COLUMNS && columns <= MAX_COLUMNS ? columns : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }

    public static CliContext ofProcess() {
        return new CliContext(System.getenv(), onTerminal());
    }

    /**
     * Up to JDK 21 a console exists only on a terminal; from JDK 22 one exists whenever stdin is one, even
     * with stdout redirected, and {@code Console.isTerminal()} (looked up by reflection: Java 17 source)
     * says whether both ends are.
     */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
