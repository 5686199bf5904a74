package dev.troupe.cli.config;

import java.util.List;

/** The configuration cannot be used; lists every problem with its key and reason. */
public final class ConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String key, String origin, String reason) {
        this(List.of(new ConfigProblem(key, origin, reason)));
    }

    /** For a validation message that names its configuration key (e.g. {@code givon.base-url must be ...}). */
    public static ConfigException ofMessage(String message, String fallbackKey) {
        return new ConfigException(ConfigNames.keyIn(message, fallbackKey), null, message);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.get(0);
        }
        StringBuilder text = new StringBuilder("invalid configuration (" + problems.size() + " problems):");
        problems.forEach(p -> text.append(System.lineSeparator()).append("  ").append(p));
        return text.toString();
    }
}
