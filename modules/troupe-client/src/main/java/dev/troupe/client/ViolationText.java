package dev.troupe.client;

import dev.troupe.model.Violation;

/** How the client words a broken rule for people: the sentence without repeating the field or the value. */
public final class ViolationText {

    private ViolationText() {
    }

    /** {@code must be within 3..15, got 20} for {@code input.duration}: the place names the field already. */
    public static String sentence(Violation violation) {
        String message = violation.message() == null ? violation.rule() : violation.message();
        String path = violation.path() == null ? "" : violation.path();
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        if (!field.isEmpty() && message.startsWith(field + " ")) {
            message = message.substring(field.length() + 1);
            message = message.startsWith("is ") ? message.substring(3) : message;
        }
        return new Violation(path, violation.rule(), violation.value(), message).text();
    }

    /** {@code input.duration: must be within 3..15, got 20}. */
    public static String line(Violation violation) {
        String path = violation.path() == null || violation.path().isEmpty() ? "(job)" : violation.path();
        return path + ": " + sentence(violation);
    }
}
