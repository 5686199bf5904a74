package dev.troupe.cli;

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
        return new CliContext(System.getenv(), System.console() != null);
    }
}
