package dev.troupe.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the fields of a {@code troupe.motion-job/v1} object, collecting every violation. Unknown
 * top-level fields are tolerated so that producers can move to a later minor version first.
 */
final class JobReader {

    static final int MAX_ID = 128;
    static final int MAX_TENANT = 64;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ID + "}");
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_TENANT + "}");
    /** A jobId, or the key of a later run of it ({@link MotionJob#runKey}), as the journal and the budget log carry it. */
    static final Pattern RUN_KEY = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ID + "}(#[1-9][0-9]{0,3})?");
    static final int MIN_PRIORITY = -1000;
    static final int MAX_PRIORITY = 1000;
    static final int MAX_METADATA_ENTRIES = 64;
    static final int MAX_METADATA_KEY = 256;
    static final int MAX_METADATA_VALUE = 2048;

    private final ModelCatalog catalog;
    private final InputValidator validator;

    JobReader(ModelCatalog catalog, InputValidator validator) {
        this.catalog = catalog;
        this.validator = validator;
    }

    DecodeResult read(JsonNode root) {
        List<Violation> violations = new ArrayList<>();
        schema(root.get("schema"), violations);
        String jobId = id("jobId", root.get("jobId"), ID, MAX_ID, true, violations);
        String batchId = id("batchId", root.get("batchId"), ID, MAX_ID, false, violations);
        String tenant = id("tenant", root.get("tenant"), TENANT, MAX_TENANT, false, violations);
        int priority = priority(root.get("priority"), violations);
        int run = run(root.get("run"), violations);
        Map<String, String> metadata = metadata(root.get("metadata"), violations);
        Instant notAfter = notAfter(root.get("notAfter"), violations);
        ModelSpec model = model(root.get("model"), violations);
        GenerationInput input = null;
        if (model != null) {
            InputCheck check = validator.check(model, root.get("input"), "input.");
            violations.addAll(check.violations());
            input = check.input();
        }
        if (!violations.isEmpty()) {
            return new DecodeResult.Invalid(jobId, violations, run);
        }
        return new DecodeResult.Decoded(new MotionJob(jobId, batchId, tenant, priority, metadata, notAfter, model.id(), input, run));
    }

    /** The top-level jobId of a record too large to read whole, by streaming over it; null if none is found. */
    static String peekJobId(byte[] record) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(record)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("jobId".equals(name)) {
                    return value == JsonToken.VALUE_STRING && ID.matcher(parser.getText()).matches() ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void schema(JsonNode node, List<Violation> violations) {
        String expected = "\"" + MotionJob.SCHEMA + "\"";
        if (Json.absent(node)) {
            violations.add(Violation.of("schema", "required", null, "schema is required: " + expected));
        } else if (!node.isTextual()) {
            violations.add(Violation.of("schema", "type", Json.shown(node), "schema must be the string " + expected
                    + ", got " + Json.got(node)));
        } else if (!node.textValue().equals(MotionJob.SCHEMA)) {
            violations.add(Violation.of("schema", "schema", node.textValue(), "schema must be " + expected
                    + "; this worker does not read \"" + node.textValue() + "\""));
        }
    }

    private static String id(String field, JsonNode node, Pattern pattern, int maxLength, boolean required,
            List<Violation> violations) {
        if (Json.absent(node)) {
            if (required) {
                violations.add(Violation.of(field, "required", null, field + " is required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.of(field, "type", Json.shown(node), field + " must be a string, got " + Json.got(node)));
            return null;
        }
        if (!pattern.matcher(node.textValue()).matches()) {
            violations.add(Violation.of(field, "pattern " + pattern.pattern(), node.textValue(),
                    field + " must be 1 to " + maxLength + " characters of A-Z a-z 0-9 . _ : -"));
            return null;
        }
        return node.textValue();
    }

    private static int priority(JsonNode node, List<Violation> violations) {
        if (Json.absent(node)) {
            return 0;
        }
        if (!node.isIntegralNumber()) {
            violations.add(Violation.of("priority", "type", Json.shown(node), "priority must be an integer, got " + Json.got(node)));
            return 0;
        }
        if (!node.canConvertToInt() || node.intValue() < MIN_PRIORITY || node.intValue() > MAX_PRIORITY) {
            violations.add(Violation.of("priority", "range " + MIN_PRIORITY + ".." + MAX_PRIORITY, node.toString(),
                    "priority must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY));
            return 0;
        }
        return node.intValue();
    }

    private static int run(JsonNode node, List<Violation> violations) {
        if (Json.absent(node)) {
            return MotionJob.FIRST_RUN;
        }
        if (!node.isIntegralNumber()) {
            violations.add(Violation.of("run", "type", Json.shown(node), "run must be a whole number, got " + Json.describe(node)));
            return MotionJob.FIRST_RUN;
        }
        if (!node.canConvertToInt() || node.intValue() < MotionJob.FIRST_RUN || node.intValue() > MotionJob.MAX_RUN) {
            violations.add(Violation.of("run", "range " + MotionJob.FIRST_RUN + ".." + MotionJob.MAX_RUN, node.toString(),
                    "run must be between " + MotionJob.FIRST_RUN + " and " + MotionJob.MAX_RUN));
            return MotionJob.FIRST_RUN;
        }
        return node.intValue();
    }

    private static Map<String, String> metadata(JsonNode node, List<Violation> violations) {
        if (Json.absent(node)) {
            return Map.of();
        }
        if (!node.isObject()) {
            violations.add(Violation.of("metadata", "type", Json.shown(node),
                    "metadata must be an object of string values, got " + Json.got(node)));
            return Map.of();
        }
        if (node.size() > MAX_METADATA_ENTRIES) {
            violations.add(Violation.of("metadata", "max " + MAX_METADATA_ENTRIES + " entries", node.size() + " entries",
                    "metadata has " + node.size() + " entries, at most " + MAX_METADATA_ENTRIES + " are allowed"));
            return Map.of();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (Json.codePoints(key) > MAX_METADATA_KEY) {
                violations.add(Violation.of("metadata", "max key " + MAX_METADATA_KEY + " code points", key,
                        "a metadata key has " + Json.codePoints(key) + " characters, at most " + MAX_METADATA_KEY + " are allowed"));
            } else if (!value.isTextual()) {
                violations.add(Violation.of("metadata." + key, "type", Json.shown(value),
                        "metadata values must be strings, got " + Json.got(value)));
            } else if (Json.codePoints(value.textValue()) > MAX_METADATA_VALUE) {
                violations.add(Violation.of("metadata." + key, "max " + MAX_METADATA_VALUE + " code points", value.textValue(),
                        "a metadata value has " + Json.codePoints(value.textValue()) + " characters, at most "
                                + MAX_METADATA_VALUE + " are allowed"));
            } else {
                metadata.put(key, value.textValue());
            }
        }
        return metadata;
    }

    private static Instant notAfter(JsonNode node, List<Violation> violations) {
        if (Json.absent(node)) {
            return null;
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        violations.add(Violation.of("notAfter", "instant", Json.shown(node),
                "notAfter must be an ISO-8601 instant string such as 2026-11-24T20:00:00Z, got " + Json.got(node)));
        return null;
    }

    private ModelSpec model(JsonNode node, List<Violation> violations) {
        if (Json.absent(node)) {
            return catalog.find(ModelCatalog.DEFAULT_MODEL).orElseGet(() -> {
                violations.add(Violation.of("model", "required", null, "model is required: this catalog has no "
                        + ModelCatalog.DEFAULT_MODEL + "; known models: " + String.join(", ", catalog.ids())));
                return null;
            });
        }
        if (!node.isTextual()) {
            violations.add(Violation.of("model", "type", Json.shown(node), "model must be a string, got " + Json.got(node)));
            return null;
        }
        return catalog.find(node.textValue()).orElseGet(() -> {
            violations.add(Violation.of("model", "known model", node.textValue(), "unknown model '" + node.textValue()
                    + "'; known models: " + String.join(", ", catalog.ids())));
            return null;
        });
    }
}
