package dev.troupe.client.manifest;

/**
 * One thing wrong with a manifest, at its place: {@code motions[2].duration}, {@code prompts[0].template},
 * {@code line 4, column 3} for a syntax error.
 */
public record ManifestProblem(String location, String message) {

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
