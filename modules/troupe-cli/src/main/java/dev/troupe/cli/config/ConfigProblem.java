package dev.troupe.cli.config;

/**
 * One invalid setting: the configuration key, where its value came from (the file, or an environment
 * variable), and why it is refused.
 */
public record ConfigProblem(String key, String origin, String reason) {

    @Override
    public String toString() {
        return key + (origin == null ? "" : " (" + origin + ")") + ": " + reason;
    }
}
