package dev.troupe.model;

/**
 * One broken rule of a job or a Givon input: the field path ({@code input.duration}), the rule
 * ({@code integer 3..15}), the offending value (truncated for display) and a sentence. Every part is
 * bounded, whatever the input: a field name or value can be as long as the record itself.
 */
public record Violation(String path, String rule, String value, String message) {

    static final int MAX_VALUE_CHARS = 80;
    static final int MAX_PATH_CHARS = 200;
    static final int MAX_RULE_CHARS = 200;
    static final int MAX_MESSAGE_CHARS = 500;

    public Violation {
        path = Texts.clip(path, MAX_PATH_CHARS);
        rule = Texts.clip(rule, MAX_RULE_CHARS);
        // Room for the "…(N chars)" that of() already appended, so a displayed value is not cut twice.
        value = Texts.clip(value, MAX_VALUE_CHARS + 24);
        message = Texts.clip(message, MAX_MESSAGE_CHARS);
    }

    /** Builds a violation whose value is rendered and truncated so that a 5 MB data URI stays readable. */
    public static Violation of(String path, String rule, Object value, String message) {
        return new Violation(path, rule, display(value), message);
    }

    static String display(Object value) {
        return value == null ? null : Texts.clip(String.valueOf(value), MAX_VALUE_CHARS);
    }

    /** The message, followed by {@code (got value)} unless the message already shows the value. */
    public String text() {
        String sentence = message == null ? rule : message;
        return value == null || sentence.contains(value) ? sentence : sentence + " (got " + value + ")";
    }

    @Override
    public String toString() {
        return path + ": " + text();
    }
}
