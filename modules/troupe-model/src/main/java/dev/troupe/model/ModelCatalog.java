package dev.troupe.model;

import java.util.Collection;
import java.util.Optional;

/**
 * The Givon models Troupe can run, loaded from data ({@code dev/troupe/model/catalog.json} on the
 * classpath by default). Adding a model is a data change.
 */
public final class ModelCatalog {

    public static final String DEFAULT_MODEL = "kling-3.0-motion";

    /** The catalog shipped in the jar. */
    public static ModelCatalog builtIn() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Parses a catalog document (same format as the built-in resource). */
    public static ModelCatalog fromJson(String json) {
        throw new UnsupportedOperationException("TODO");
    }

    public Optional<ModelSpec> find(String modelId) {
        throw new UnsupportedOperationException("TODO");
    }

    public Collection<ModelSpec> models() {
        throw new UnsupportedOperationException("TODO");
    }
}
