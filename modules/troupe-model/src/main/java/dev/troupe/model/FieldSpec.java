package dev.troupe.model;

import java.util.List;

/**
 * One field of a model's input schema, as data from the catalog.
 *
 * @param kind          what the value must be
 * @param required      absent (or null) is a violation
 * @param defaultValue  applied when absent and not required (String, Long or Boolean), may be null
 * @param maxCodePoints TEXT: the most Unicode code points allowed (0 = no limit)
 * @param allowed       ENUM: the accepted values; INTEGER: when non-empty, the accepted values (e.g. 5, 10)
 * @param min           INTEGER: smallest accepted value (inclusive)
 * @param max           INTEGER: largest accepted value (inclusive)
 */
public record FieldSpec(
        String name,
        Kind kind,
        boolean required,
        Object defaultValue,
        int maxCodePoints,
        List<String> allowed,
        long min,
        long max) {

    public enum Kind { TEXT, ENUM, INTEGER, BOOLEAN, IMAGE, VIDEO }

    public FieldSpec {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }
}
