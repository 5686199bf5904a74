package dev.troupe.model;

import java.util.List;

/**
 * The outcome of checking one Givon {@code input} object against a model's schema.
 *
 * @param input      the normalised input with defaults applied; null when invalid
 * @param violations every broken rule, empty when valid
 */
public record InputCheck(GenerationInput input, List<Violation> violations) {

    public InputCheck {
        violations = violations == null ? List.of() : List.copyOf(violations);
        if (violations.isEmpty() == (input == null)) {
            throw new IllegalArgumentException("an input check has either an input or violations, not both or neither");
        }
    }

    public boolean valid() {
        return violations.isEmpty();
    }
}
