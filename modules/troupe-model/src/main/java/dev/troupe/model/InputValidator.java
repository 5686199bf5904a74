package dev.troupe.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a Givon {@code input} object against a catalog model's schema and returns every violation at
 * once, or the normalised input (defaults applied; {@link Long}, {@link Boolean}, {@link String}
 * values). The worker uses it on jobs and the simulator on request bodies, so both enforce the same
 * rules.
 *
 * <p>Unknown input fields are violations (rule {@code unknown field}), not silently dropped: they would
 * otherwise reach Givon, or a typo such as {@code aspectratio} would quietly fall back to the default.
 * Integers must be written as JSON integers: {@code 3.0} is refused because the API takes whole
 * seconds and a float is ambiguous; strings such as {@code "5"} or {@code "true"} are refused too.
 * Thread-safe.
 */
public final class InputValidator {

    private final AssetReferenceRule assets;

    public InputValidator(ValidationLimits limits) {
        this.assets = new AssetReferenceRule(Objects.requireNonNull(limits, "limits").maxDataUriBytes());
    }

    /**
     * @param pathPrefix prepended to field names in violation paths, e.g. {@code "input."}
     */
    public InputCheck check(ModelSpec model, JsonNode input, String pathPrefix) {
        String prefix = pathPrefix == null ? "" : pathPrefix;
        String objectPath = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (Json.absent(input)) {
            return new InputCheck(null, List.of(Violation.of(objectPath, "required", null,
                    "an input object with the fields of model " + model.id() + " is required")));
        }
        if (!input.isObject()) {
            return new InputCheck(null, List.of(Violation.of(objectPath, "type", Json.shown(input),
                    "input must be a JSON object, got " + Json.describe(input))));
        }
        List<Violation> violations = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldSpec field : model.fields()) {
            JsonNode node = input.get(field.name());
            String path = prefix + field.name();
            if (Json.absent(node)) {
                if (field.required()) {
                    violations.add(Violation.of(path, "required", null, field.name() + " is required"));
                } else if (field.defaultValue() != null) {
                    values.put(field.name(), field.defaultValue());
                }
                continue;
            }
            Optional<Violation> broken = brokenRule(field, node, path);
            if (broken.isPresent()) {
                violations.add(broken.get());
            } else {
                values.put(field.name(), value(field, node));
            }
        }
        unknownFields(model, input, prefix, objectPath, violations);
        return violations.isEmpty()
                ? new InputCheck(new GenerationInput(values), List.of())
                : new InputCheck(null, violations);
    }

    /**
     * One violation per unknown field for the first few, then one that counts the rest: a record of
     * 1 MB can hold 100,000 field names, and each would otherwise become a violation.
     */
    private static void unknownFields(ModelSpec model, JsonNode input, String prefix, String objectPath,
            List<Violation> violations) {
        List<String> names = model.fields().stream().map(FieldSpec::name).toList();
        String known = String.join(", ", names);
        int unknown = 0;
        for (Map.Entry<String, JsonNode> entry : input.properties()) {
            if (names.contains(entry.getKey())) {
                continue;
            }
            if (++unknown <= MAX_UNKNOWN_FIELDS_LISTED) {
                violations.add(Violation.of(prefix + entry.getKey(), "unknown field", Json.shown(entry.getValue()),
                        "model " + model.id() + " has no input field '" + Texts.clip(entry.getKey(), 64)
                                + "'; known fields: " + known));
            }
        }
        if (unknown > MAX_UNKNOWN_FIELDS_LISTED) {
            int more = unknown - MAX_UNKNOWN_FIELDS_LISTED;
            violations.add(Violation.of(objectPath, "unknown field", more + " more",
                    more + " more unknown input field(s) not listed; model " + model.id() + " knows only: " + known));
        }
    }

    static final int MAX_UNKNOWN_FIELDS_LISTED = 5;

    private Optional<Violation> brokenRule(FieldSpec field, JsonNode node, String path) {
        String name = field.name();
        return switch (field.kind()) {
            case TEXT -> {
                if (!node.isTextual()) {
                    yield wrongType(path, node, name + " must be a string");
                }
                String text = node.textValue();
                int length = Json.codePoints(text);
                if (text.isBlank()) {
                    yield broken(path, "not blank", text, name + " must not be blank");
                }
                if (field.maxCodePoints() > 0 && length > field.maxCodePoints()) {
                    yield broken(path, "max " + field.maxCodePoints() + " code points", text, name + " has " + length
                            + " characters (Unicode code points), at most " + field.maxCodePoints() + " are allowed");
                }
                yield Optional.empty();
            }
            case ENUM -> {
                if (!node.isTextual()) {
                    yield wrongType(path, node, name + " must be a string, one of " + String.join(", ", field.allowed()));
                }
                yield field.allowed().contains(node.textValue())
                        ? Optional.empty()
                        : broken(path, "one of " + String.join(", ", field.allowed()), node.textValue(),
                                name + " must be one of " + String.join(", ", field.allowed()));
            }
            case INTEGER -> {
                if (!node.isIntegralNumber()) {
                    yield wrongType(path, node, name + " must be a whole number written without a decimal point (e.g. 3)");
                }
                String range = rangeText(field);
                if (!node.canConvertToLong() || node.longValue() < field.min() || node.longValue() > field.max()) {
                    yield broken(path, "range " + range, node.toString(), name + " must be within " + range + ", got " + node);
                }
                if (!field.allowed().isEmpty() && !field.allowed().contains(Long.toString(node.longValue()))) {
                    yield broken(path, "one of " + String.join(", ", field.allowed()), node.toString(),
                            name + " must be one of " + String.join(", ", field.allowed()));
                }
                yield Optional.empty();
            }
            case BOOLEAN -> node.isBoolean()
                    ? Optional.empty()
                    : wrongType(path, node, name + " must be a JSON boolean (true or false)");
            case IMAGE, VIDEO -> node.isTextual()
                    ? assets.check(path, field.kind(), node.textValue())
                    : wrongType(path, node, name + " must be a string (asset://, https:// or data: URI)");
        };
    }

    private static Object value(FieldSpec field, JsonNode node) {
        return switch (field.kind()) {
            case TEXT, ENUM, IMAGE, VIDEO -> node.textValue();
            case INTEGER -> node.longValue();
            case BOOLEAN -> node.booleanValue();
        };
    }

    private static String rangeText(FieldSpec field) {
        String min = field.min() == Long.MIN_VALUE ? "" : Long.toString(field.min());
        String max = field.max() == Long.MAX_VALUE ? "" : Long.toString(field.max());
        return min + ".." + max;
    }

    private static Optional<Violation> wrongType(String path, JsonNode node, String expectation) {
        return broken(path, "type", Json.shown(node), expectation + ", got " + Json.got(node));
    }

    private static Optional<Violation> broken(String path, String rule, Object value, String message) {
        return Optional.of(Violation.of(path, rule, value, message));
    }
}
