package dev.troupe.client.manifest;

import java.util.List;

/** A manifest that cannot become a batch; lists every problem found, each at its place. Nothing was sent. */
public final class InvalidManifestException extends RuntimeException {

    private final String source;
    private final List<ManifestProblem> problems;

    public InvalidManifestException(String source, List<ManifestProblem> problems) {
        super(message(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid manifest has at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or "manifest") the problems are in. */
    public String source() {
        return source;
    }

    public List<ManifestProblem> problems() {
        return problems;
    }

    private static String message(String source, List<ManifestProblem> problems) {
        StringBuilder text = new StringBuilder(source).append(" is invalid (").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append("):");
        problems.forEach(p -> text.append(System.lineSeparator()).append("  ").append(p));
        return text.toString();
    }
}
