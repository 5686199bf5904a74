package dev.troupe.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model-specific {@code input} object of a Givon generation, after validation and with the
 * model's defaults applied. Values are {@link String}, {@link Long} or {@link Boolean}, so the map
 * serialises back to exactly the JSON Givon expects. Kept as a map (not a Kling-shaped record) so
 * that another catalog model is a data change.
 */
public record GenerationInput(Map<String, Object> fields) {

    public GenerationInput {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(fields.get(name)).map(String::valueOf);
    }

    public Optional<Long> integer(String name) {
        Object value = fields.get(name);
        return value instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    public Optional<Boolean> flag(String name) {
        Object value = fields.get(name);
        return value instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }
}
