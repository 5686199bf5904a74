package dev.troupe.client;

import dev.troupe.model.Violation;
import java.util.List;

/** A job that breaks at least one rule; nothing was sent. Carries every violation, not just the first. */
public final class InvalidJobException extends RuntimeException {

    private final String jobId;
    private final List<Violation> violations;

    public InvalidJobException(String jobId, List<Violation> violations) {
        super(message(jobId, violations));
        this.jobId = jobId;
        this.violations = List.copyOf(violations);
    }

    /** The job's id when it is itself valid, else null. */
    public String jobId() {
        return jobId;
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String message(String jobId, List<Violation> violations) {
        StringBuilder text = new StringBuilder("job ").append(jobId == null ? "(without a valid jobId)" : jobId)
                .append(" is invalid (").append(violations.size()).append(violations.size() == 1 ? " problem" : " problems")
                .append("):");
        violations.forEach(v -> text.append(System.lineSeparator()).append("  ").append(ViolationText.line(v)));
        return text.toString();
    }
}
