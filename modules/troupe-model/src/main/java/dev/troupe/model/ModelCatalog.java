package dev.troupe.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Givon models Troupe can run, loaded from data ({@code dev/troupe/model/catalog.json} on the
 * classpath by default). Adding a model is a data change. Immutable and thread-safe.
 *
 * <p>Document format: {@code {"models":[{"id","type":"video|image","pricePerSecond":"5.5",
 * "durationField":"duration" | "fixedDurationSeconds":5,"fields":[{"name","kind":"TEXT|ENUM|INTEGER|
 * BOOLEAN|IMAGE|VIDEO","required","default","maxCodePoints","allowed","min","max"}]}]}}. Prices are
 * decimal strings so that they stay exact. The document is checked completely on load; every problem
 * is named in the {@link IllegalArgumentException}.
 */
public final class ModelCatalog {

    public static final String DEFAULT_MODEL = "kling-3.0-motion";

    static final String RESOURCE = "/dev/troupe/model/catalog.json";

    private final Map<String, ModelSpec> models;

    private ModelCatalog(List<ModelSpec> models) {
        Map<String, ModelSpec> byId = new LinkedHashMap<>();
        models.forEach(model -> byId.put(model.id(), model));
        this.models = Collections.unmodifiableMap(byId);
    }

    /** The catalog shipped in the jar, read once. */
    public static ModelCatalog builtIn() {
        return BuiltIn.CATALOG;
    }

    /** Parses a catalog document (same format as the built-in resource). */
    public static ModelCatalog fromJson(String json) {
        return new ModelCatalog(CatalogReader.read(json));
    }

    public Optional<ModelSpec> find(String modelId) {
        return Optional.ofNullable(modelId == null ? null : models.get(modelId));
    }

    /** The model with this id; the exception names the ids the catalog knows. */
    public ModelSpec require(String modelId) {
        return find(modelId).orElseThrow(() -> new IllegalArgumentException(
                "unknown model '" + modelId + "'; known models: " + String.join(", ", ids())));
    }

    /** All models, in catalog order. */
    public Collection<ModelSpec> models() {
        return models.values();
    }

    /** The model ids, in catalog order. */
    public List<String> ids() {
        return List.copyOf(models.keySet());
    }

    @Override
    public String toString() {
        return "ModelCatalog" + ids();
    }

    /** Lazy holder: the resource is read on first use, once. */
    private static final class BuiltIn {
        static final ModelCatalog CATALOG = load();

        private static ModelCatalog load() {
            try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("built-in model catalog " + RESOURCE + " is missing from the classpath");
                }
                return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read built-in model catalog " + RESOURCE, e);
            }
        }
    }
}
