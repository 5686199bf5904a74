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

    public CliContext {
        environment = Map.copyOf(environment);
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
