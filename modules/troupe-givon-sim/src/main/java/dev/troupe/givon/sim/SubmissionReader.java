package dev.troupe.givon.sim;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.model.InputCheck;
import dev.troupe.model.InputValidator;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.ModelSpec;
import dev.troupe.model.ValidationLimits;
import dev.troupe.model.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a {@code POST /api/v1/generations} body with the same rules Givon applies. */
final class SubmissionReader {

    private final ObjectMapper json;
    private final ModelCatalog catalog;
    private final InputValidator validator;

    SubmissionReader(ObjectMapper json, ModelCatalog catalog, ValidationLimits limits) {
        this.json = json;
        this.catalog = catalog;
        this.validator = new InputValidator(limits);
    }

    Submission read(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            return new Submission.Unreadable("Request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Submission.Unreadable("Request body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return new Submission.Unreadable("Request body must be a JSON object like "
                    + "{\"type\":\"video\",\"model\":\"...\",\"input\":{...}}");
        }
        List<Violation> violations = new ArrayList<>();
        Optional<ModelSpec> model = model(root.get("model"), violations);
        JsonNode type = root.get("type");
        if (type == null || type.isNull()) {
            violations.add(Violation.of("type", "required", null, "type is required (\"video\" or \"image\")"));
        } else if (model.isPresent() && !(type.isTextual() && type.asText().equals(model.get().type()))) {
            violations.add(Violation.of("type", "equals " + model.get().type(), type,
                    "model " + model.get().id() + " produces " + model.get().type() + ", so type must be \""
                            + model.get().type() + "\""));
        }
        if (model.isEmpty()) {
            return new Submission.Invalid(violations);
        }
        InputCheck check = validator.check(model.get(), root.get("input"), "input.");
        violations.addAll(check.violations());
        if (!violations.isEmpty()) {
            return new Submission.Invalid(violations);
        }
        return new Submission.Valid(model.get(), check.input(), model.get().cost(check.input()));
    }

    private Optional<ModelSpec> model(JsonNode model, List<Violation> violations) {
        if (model == null || model.isNull()) {
            violations.add(Violation.of("model", "required", null, "model is required, e.g. \""
                    + ModelCatalog.DEFAULT_MODEL + "\""));
            return Optional.empty();
        }
        Optional<ModelSpec> found = model.isTextual() ? catalog.find(model.asText()) : Optional.empty();
        if (found.isEmpty()) {
            String shown = model.isTextual() ? model.asText() : model.toString();
            violations.add(Violation.of("model", "known model", shown,
                    "unknown model '" + shown + "'; known models: " + String.join(", ", catalog.ids())));
        }
        return found;
    }
}
