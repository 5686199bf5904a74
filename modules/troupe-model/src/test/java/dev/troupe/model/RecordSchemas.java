package dev.troupe.model;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The shipped schemas in one draft 2020-12 repository (their {@code $ref}s resolve among them), for tests. */
final class RecordSchemas {

    static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions()
            .setDraft(Draft.DRAFT202012)
            .setBaseUri(RecordSchema.BASE_URI)
            .setOutputFormat(OutputFormat.Basic);

    private static final SchemaRepository REPOSITORY = repository();

    private RecordSchemas() {
    }

    private static SchemaRepository repository() {
        SchemaRepository repository = SchemaRepository.create(OPTIONS);
        for (RecordSchema schema : RecordSchema.values()) {
            repository.dereference(schema.id().toString(), JsonSchema.of(new JsonObject(schema.text())));
        }
        return repository;
    }

    /** What breaks {@code schema} in the JSON text {@code json}, one line per error; empty when it is valid. */
    static List<String> errors(RecordSchema schema, String json) {
        Object value;
        try {
            value = Json.decodeValue(json);
        } catch (DecodeException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        OutputUnit result = REPOSITORY.validator(schema.id().toString()).validate(value);
        if (Boolean.TRUE.equals(result.getValid())) {
            return List.of();
        }
        List<String> errors = new ArrayList<>();
        collect(result, errors);
        return errors.isEmpty() ? List.of("invalid (no detail)") : errors;
    }

    static List<String> errors(RecordSchema schema, byte[] utf8) {
        return errors(schema, new String(utf8, StandardCharsets.UTF_8));
    }

    private static void collect(OutputUnit unit, List<String> errors) {
        if (unit.getError() != null) {
            errors.add(unit.getInstanceLocation() + ": " + unit.getError() + " (" + unit.getKeywordLocation() + ")");
        }
        if (unit.getErrors() != null) {
            unit.getErrors().forEach(e -> collect(e, errors));
        }
    }
}
