package dev.troupe.cli.view;

import dev.troupe.model.RecordSchema;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.util.ArrayList;
import java.util.List;

/** The job status schema with the shipped schemas it refers to (result statuses, journal kinds), for tests. */
public final class JobStatusSchema {

    private static final SchemaRepository REPOSITORY = repository();

    private JobStatusSchema() {
    }

    private static SchemaRepository repository() {
        SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                .setBaseUri(RecordSchema.BASE_URI).setOutputFormat(OutputFormat.Basic));
        for (RecordSchema schema : RecordSchema.values()) {
            repository.dereference(schema.id().toString(), JsonSchema.of(new JsonObject(schema.text())));
        }
        return repository;
    }

    /** What breaks the schema in {@code json}, one line per error; empty when it is valid. */
    public static List<String> errors(String json) {
        OutputUnit result = REPOSITORY.validator(RecordSchema.JOB_STATUS.id().toString()).validate(new JsonObject(json));
        if (Boolean.TRUE.equals(result.getValid())) {
            return List.of();
        }
        List<String> errors = new ArrayList<>();
        collect(result, errors);
        return errors.isEmpty() ? List.of("invalid (no detail)") : errors;
    }

    private static void collect(OutputUnit unit, List<String> errors) {
        if (unit.getError() != null) {
            errors.add(unit.getInstanceLocation() + ": " + unit.getError() + " (" + unit.getKeywordLocation() + ")");
        }
        if (unit.getErrors() != null) {
            unit.getErrors().forEach(child -> collect(child, errors));
        }
    }
}
