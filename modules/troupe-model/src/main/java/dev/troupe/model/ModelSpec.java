package dev.troupe.model;

import java.util.List;

/**
 * A Givon catalog model: its id, envelope type, price, and input schema.
 *
 * @param id                     e.g. {@code kling-3.0-motion}
 * @param type                   envelope {@code type}: {@code video} or {@code image}
 * @param pricePerSecond         tokens charged per second of output
 * @param durationField          the input field holding the output seconds, or null when fixed
 * @param fixedDurationSeconds   seconds billed when {@code durationField} is null
 * @param fields                 the input schema
 */
public record ModelSpec(
        String id,
        String type,
        Tokens pricePerSecond,
        String durationField,
        int fixedDurationSeconds,
        List<FieldSpec> fields) {

    public ModelSpec {
        fields = List.copyOf(fields);
    }

    /** Estimated charge of one generation: price x seconds, exact. */
    public Tokens cost(GenerationInput input) {
        long seconds = durationField == null
                ? fixedDurationSeconds
                : input.integer(durationField).orElseThrow(
                        () -> new IllegalArgumentException("input has no integer '" + durationField + "' for model " + id));
        return pricePerSecond.times(seconds);
    }
}
