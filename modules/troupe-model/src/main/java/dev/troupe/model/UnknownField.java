package dev.troupe.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A top-level field of a job that {@code troupe.motion-job/v1} does not define. The workers tolerate
 * and ignore it (so producers can move to a later minor version first), which is why a typo such as
 * {@code tennant} would otherwise go unnoticed and the job be charged to the default budget.
 *
 * @param name      the field's name as written, clipped to 64 code points
 * @param suggestion the known field it most likely meant, if any
 */
public record UnknownField(String name, Optional<String> suggestion) {

    static final int MAX_NAME_CHARS = 64;

    public UnknownField {
        name = Texts.clip(Objects.requireNonNull(name, "name"), MAX_NAME_CHARS);
        Objects.requireNonNull(suggestion, "suggestion");
    }
}
