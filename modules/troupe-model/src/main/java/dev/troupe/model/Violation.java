package dev.troupe.model;

/**
 * One broken rule of a job or a Givon input: the field path ({@code input.duration}), the rule
 * ({@code integer 3..15}), the offending value (already truncated for display) and a sentence.
 */
public record Violation(String path, String rule, String value, String message) {

    static final int MAX_VALUE_CHARS = 80;

    /** Builds a violation whose value is rendered and truncated so that a 5 MB data URI stays readable. */
    public static Violation of(String path, String rule, Object value, String message) {
        return new Violation(path, rule, display(value), message);
    }

    static String display(Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
        if (text.codePointCount(0, text.length()) <= MAX_VALUE_CHARS) {
            return text;
        }
        int cut = text.offsetByCodePoints(0, MAX_VALUE_CHARS);
        return text.substring(0, cut) + "…(" + text.codePointCount(0, text.length()) + " chars)";
    }

    @Override
    public String toString() {
        return path + ": " + message + (value == null ? "" : " (got " + value + ")");
    }
}
