package dev.troupe.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a catalog document and checks it completely: a typo in the catalog would otherwise turn into
 * a silently wrong price or a field Givon never sees. Every problem is reported in one exception.
 */
final class CatalogReader {

    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Set<String> ROOT_KEYS = Set.of("models");
    private static final Set<String> MODEL_KEYS =
            Set.of("id", "type", "pricePerSecond", "durationField", "fixedDurationSeconds", "fields");
    private static final Set<String> COMMON_FIELD_KEYS = Set.of("name", "kind", "required", "default");
    private static final Map<FieldSpec.Kind, Set<String>> KIND_KEYS = Map.of(
            FieldSpec.Kind.TEXT, Set.of("maxCodePoints"),
            FieldSpec.Kind.ENUM, Set.of("allowed"),
            FieldSpec.Kind.INTEGER, Set.of("min", "max", "allowed"),
            FieldSpec.Kind.BOOLEAN, Set.of(),
            FieldSpec.Kind.IMAGE, Set.of(),
            FieldSpec.Kind.VIDEO, Set.of());

    private final List<String> problems = new ArrayList<>();

    private CatalogReader() {
    }

    static List<ModelSpec> read(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model catalog is not valid JSON: " + ParseErrorText.of(e), e);
        }
        CatalogReader reader = new CatalogReader();
        List<ModelSpec> models = reader.models(root);
        if (!reader.problems.isEmpty()) {
            throw new IllegalArgumentException("invalid model catalog: " + String.join("; ", reader.problems));
        }
        return models;
    }

    private List<ModelSpec> models(JsonNode root) {
        List<ModelSpec> models = new ArrayList<>();
        if (root == null || !root.isObject()) {
            problem("(document)", "must be an object {\"models\": [...]}, got " + Json.describe(root));
            return models;
        }
        unknownKeys("(document)", root, ROOT_KEYS);
        JsonNode list = root.get("models");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problem("models", "must be a non-empty array of models");
            return models;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode id = list.get(i).get("id");
            if (id != null && id.isTextual() && !ids.add(id.textValue())) {
                problem("models[" + i + "].id", "duplicate model id '" + id.textValue() + "'");
            }
            ModelSpec model = model("models[" + i + "]", list.get(i));
            if (model != null) {
                models.add(model);
            }
        }
        return models;
    }

    private ModelSpec model(String at, JsonNode node) {
        if (!node.isObject()) {
            problem(at, "must be an object, got " + Json.describe(node));
            return null;
        }
        int before = problems.size();
        String id = text(at + ".id", node.get("id"), true);
        if (id != null && !MODEL_ID.matcher(id).matches()) {
            problem(at + ".id", "'" + id + "' must match " + MODEL_ID.pattern());
        }
        String path = id == null ? at : at + " (" + id + ")";
        unknownKeys(path, node, MODEL_KEYS);
        String type = text(path + ".type", node.get("type"), true);
        if (type != null && !type.equals("video") && !type.equals("image")) {
            problem(path + ".type", "must be \"video\" or \"image\", got \"" + type + "\"");
        }
        Tokens price = price(path + ".pricePerSecond", node.get("pricePerSecond"));
        String durationField = text(path + ".durationField", node.get("durationField"), false);
        Long fixedSeconds = integer(path + ".fixedDurationSeconds", node.get("fixedDurationSeconds"));
        if ((durationField == null) == (fixedSeconds == null)) {
            problem(path, "needs exactly one of durationField or fixedDurationSeconds");
        } else if (fixedSeconds != null && (fixedSeconds < 1 || fixedSeconds > Integer.MAX_VALUE)) {
            problem(path + ".fixedDurationSeconds", "must be a positive number of seconds, got " + fixedSeconds);
        }
        List<FieldSpec> fields = fields(path + ".fields", node.get("fields"));
        if (durationField != null) {
            checkDurationField(path + ".durationField", durationField, fields);
        }
        if (problems.size() > before) {
            return null;
        }
        return new ModelSpec(id, type, price, durationField, fixedSeconds == null ? 0 : fixedSeconds.intValue(), fields);
    }

    private Tokens price(String path, JsonNode node) {
        if (Json.absent(node)) {
            problem(path, "is required (a decimal string such as \"7\" or \"5.5\")");
            return null;
        }
        if (!node.isTextual()) {
            problem(path, "must be a decimal string such as \"5.5\" so that it stays exact, got " + Json.describe(node));
            return null;
        }
        try {
            Tokens price = Tokens.parse(node.textValue());
            if (price.isNegative()) {
                problem(path, "must not be negative, got " + price);
                return null;
            }
            return price;
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return null;
        }
    }

    private void checkDurationField(String path, String name, List<FieldSpec> fields) {
        FieldSpec field = fields.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
        if (field == null) {
            problem(path, "names no field of this model: '" + name + "'");
        } else if (field.kind() != FieldSpec.Kind.INTEGER) {
            problem(path, "field '" + name + "' must be INTEGER to count seconds, it is " + field.kind());
        } else if (!field.required() && field.defaultValue() == null) {
            problem(path, "field '" + name + "' needs a default (or must be required) so every job has a cost");
        }
    }

    private List<FieldSpec> fields(String path, JsonNode node) {
        List<FieldSpec> fields = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problem(path, "must be a non-empty array of fields");
            return fields;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode name = node.get(i).get("name");
            if (name != null && name.isTextual() && !names.add(name.textValue())) {
                problem(path + "[" + i + "].name", "duplicate field name '" + name.textValue() + "'");
            }
            FieldSpec field = field(path + "[" + i + "]", node.get(i));
            if (field != null) {
                fields.add(field);
            }
        }
        return fields;
    }

    private FieldSpec field(String at, JsonNode node) {
        if (!node.isObject()) {
            problem(at, "must be an object, got " + Json.describe(node));
            return null;
        }
        int before = problems.size();
        String name = text(at + ".name", node.get("name"), true);
        String path = name == null ? at : at + " (" + name + ")";
        FieldSpec.Kind kind = kind(path + ".kind", node.get("kind"));
        if (kind == null) {
            return null;
        }
        Set<String> keys = new HashSet<>(COMMON_FIELD_KEYS);
        keys.addAll(KIND_KEYS.get(kind));
        unknownKeys(path, node, keys);
        boolean required = flag(path + ".required", node.get("required"));
        long min = orElse(integer(path + ".min", node.get("min")), Long.MIN_VALUE);
        long max = orElse(integer(path + ".max", node.get("max")), Long.MAX_VALUE);
        if (min > max) {
            problem(path, "min " + min + " is greater than max " + max);
        }
        Long maxCodePoints = integer(path + ".maxCodePoints", node.get("maxCodePoints"));
        if (maxCodePoints != null && (maxCodePoints < 0 || maxCodePoints > Integer.MAX_VALUE)) {
            problem(path + ".maxCodePoints", "must be between 0 (no limit) and " + Integer.MAX_VALUE);
        }
        List<String> allowed = allowed(path + ".allowed", kind, node.get("allowed"), min, max);
        Object defaultValue = defaultValue(path + ".default", kind, node.get("default"), allowed, min, max);
        if (required && defaultValue != null) {
            problem(path + ".default", "a required field never uses its default; remove one of the two");
        }
        if (problems.size() > before) {
            return null;
        }
        int limit = maxCodePoints == null ? 0 : maxCodePoints.intValue();
        return new FieldSpec(name, kind, required, defaultValue, limit, allowed, min, max);
    }

    private FieldSpec.Kind kind(String path, JsonNode node) {
        String kind = text(path, node, true);
        if (kind == null) {
            return null;
        }
        try {
            return FieldSpec.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            problem(path, "unknown kind '" + kind + "', expected one of " + Arrays.toString(FieldSpec.Kind.values()));
            return null;
        }
    }

    private List<String> allowed(String path, FieldSpec.Kind kind, JsonNode node, long min, long max) {
        if (Json.absent(node)) {
            if (kind == FieldSpec.Kind.ENUM) {
                problem(path, "an ENUM field needs a non-empty list of allowed values");
            }
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            problem(path, "must be a non-empty array, got " + Json.describe(node));
            return List.of();
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode value : node) {
            String shown;
            if (kind == FieldSpec.Kind.ENUM && value.isTextual()) {
                shown = value.textValue();
            } else if (kind == FieldSpec.Kind.INTEGER && value.isIntegralNumber() && value.canConvertToLong()) {
                long number = value.longValue();
                if (number < min || number > max) {
                    problem(path, "value " + number + " is outside " + min + ".." + max);
                }
                shown = Long.toString(number);
            } else {
                problem(path, "values of a " + kind + " field must be " + (kind == FieldSpec.Kind.ENUM ? "strings" : "integers")
                        + ", got " + Json.describe(value));
                continue;
            }
            if (!values.add(shown)) {
                problem(path, "value '" + shown + "' is listed twice");
            }
        }
        return List.copyOf(values);
    }

    private Object defaultValue(String path, FieldSpec.Kind kind, JsonNode node, List<String> allowed, long min, long max) {
        if (Json.absent(node)) {
            return null;
        }
        return switch (kind) {
            case TEXT, ENUM -> {
                if (!node.isTextual()) {
                    problem(path, "must be a string, got " + Json.describe(node));
                    yield null;
                }
                if (kind == FieldSpec.Kind.ENUM && !allowed.contains(node.textValue())) {
                    problem(path, "'" + node.textValue() + "' is not one of the allowed values " + allowed);
                }
                yield node.textValue();
            }
            case INTEGER -> {
                Long value = integer(path, node);
                if (value != null && (value < min || value > max || (!allowed.isEmpty() && !allowed.contains(value.toString())))) {
                    problem(path, value + " is not an accepted value of this field");
                }
                yield value;
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    problem(path, "must be a boolean, got " + Json.describe(node));
                    yield null;
                }
                yield node.booleanValue();
            }
            case IMAGE, VIDEO -> {
                problem(path, "an asset field cannot have a default");
                yield null;
            }
        };
    }

    private String text(String path, JsonNode node, boolean required) {
        if (Json.absent(node)) {
            if (required) {
                problem(path, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            problem(path, "must be a non-blank string, got " + Json.describe(node));
            return null;
        }
        return node.textValue();
    }

    private Long integer(String path, JsonNode node) {
        if (Json.absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            problem(path, "must be an integer, got " + Json.describe(node));
            return null;
        }
        return node.longValue();
    }

    private boolean flag(String path, JsonNode node) {
        if (Json.absent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            problem(path, "must be a boolean, got " + Json.describe(node));
            return false;
        }
        return node.booleanValue();
    }

    private void unknownKeys(String path, JsonNode node, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem(path + "." + name, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static long orElse(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    private void problem(String path, String message) {
        problems.add(path + ": " + message);
    }
}
