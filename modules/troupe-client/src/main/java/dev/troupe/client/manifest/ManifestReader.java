package dev.troupe.client.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.troupe.client.manifest.BatchManifest.CharacterEntry;
import dev.troupe.client.manifest.BatchManifest.Expansion;
import dev.troupe.client.manifest.BatchManifest.JobEntry;
import dev.troupe.client.manifest.BatchManifest.MotionEntry;
import dev.troupe.client.manifest.BatchManifest.PromptEntry;
import dev.troupe.model.NearestName;
import dev.troupe.model.ParseErrorText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads a batch manifest from YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) and checks its
 * shape: which keys exist, which are lists or objects, which must be text. Every problem is reported
 * with its place ({@code characters[1].name}); the rules of the job fields themselves are checked when
 * the manifest is expanded, by {@link ManifestExpander}. Duplicate keys are refused.
 */
public final class ManifestReader {

    /** A manifest file's syntax. */
    public enum Format {
        YAML, JSON;

        /** JSON for {@code .json}, YAML otherwise (YAML also reads most JSON). */
        public static Format of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        }
    }

    /** A best-effort manifest and the shape problems found while reading it. */
    record Parsed(BatchManifest manifest, List<ManifestProblem> problems) {
    }

    static final String MISSING_BATCH_ID = "batch";

    private static final Set<String> TOP_KEYS = Set.of("batchId", "tenant", "model", "priority", "metadata", "defaults",
            "characters", "motions", "prompts", "expansion", "jobs");
    private static final Set<String> ENTRY_KEYS = Set.of("name", "description");
    private static final Set<String> JOB_KEYS = Set.of("jobId", "character", "motion", "prompt", "metadata", "priority");

    private static final ObjectMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final List<ManifestProblem> problems = new ArrayList<>();

    private ManifestReader() {
    }

    /**
     * @throws InvalidManifestException listing every shape problem
     * @throws IOException when the file cannot be read
     */
    public static BatchManifest read(Path file) throws IOException {
        return parse(Files.readString(file), Format.of(file), file.toString());
    }

    /**
     * @param source names the text in messages, e.g. its file name
     * @throws InvalidManifestException listing every shape problem
     */
    public static BatchManifest parse(String text, Format format, String source) {
        Parsed parsed = parseLeniently(text, format);
        if (!parsed.problems().isEmpty()) {
            throw new InvalidManifestException(source, parsed.problems());
        }
        return parsed.manifest();
    }

    /** Reads as much as can be read; the manifest is null only when the text is not a YAML/JSON object. */
    static Parsed parseLeniently(String text, Format format) {
        ManifestReader reader = new ManifestReader();
        JsonNode root;
        try {
            root = (format == Format.JSON ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "manifest" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new Parsed(null, List.of(new ManifestProblem(where, "not valid " + format + ": " + ParseErrorText.of(e))));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Parsed(null, List.of(new ManifestProblem("manifest", "the manifest is empty")));
        }
        if (!root.isObject()) {
            return new Parsed(null, List.of(new ManifestProblem("manifest",
                    "the manifest must be an object with batchId, characters, motions and prompts")));
        }
        BatchManifest manifest = reader.manifest((ObjectNode) root);
        return new Parsed(manifest, List.copyOf(reader.problems));
    }

    private BatchManifest manifest(ObjectNode root) {
        root.fieldNames().forEachRemaining(key -> {
            if (!TOP_KEYS.contains(key)) {
                problem(key, "unknown key" + didYouMean(key, TOP_KEYS) + "; known keys: "
                        + String.join(", ", TOP_KEYS.stream().sorted().toList()));
            }
        });
        String batchId = name(root.get("batchId"), "batchId", true);
        List<CharacterEntry> characters = entries(root, "characters",
                (entry, at) -> new CharacterEntry(entryName(entry, at), optionalText(entry.get("description"), at + ".description"),
                        input(entry, at, ENTRY_KEYS)));
        List<MotionEntry> motions = entries(root, "motions",
                (entry, at) -> new MotionEntry(entryName(entry, at), optionalText(entry.get("description"), at + ".description"),
                        input(entry, at, ENTRY_KEYS)));
        List<PromptEntry> prompts = entries(root, "prompts", this::prompt);
        Expansion expansion = expansion(root);
        List<JobEntry> jobs = expansion == Expansion.LIST && root.has("jobs") ? entries(root, "jobs", this::job) : List.of();
        return new BatchManifest(
                batchId == null ? MISSING_BATCH_ID : batchId,
                name(root.get("tenant"), "tenant", false),
                name(root.get("model"), "model", false),
                priority(root.get("priority"), "priority"),
                metadata(root.get("metadata"), "metadata"),
                defaults(root.get("defaults")),
                characters, motions, prompts, expansion, jobs);
    }

    private <T> List<T> entries(ObjectNode root, String key, BiFunction<ObjectNode, String, T> read) {
        JsonNode list = root.get(key);
        if (absent(list)) {
            problem(key, "required: a list with at least one entry");
            return List.of();
        }
        if (!list.isArray()) {
            problem(key, "must be a list (- name: ...), got " + describe(list));
            return List.of();
        }
        if (list.isEmpty()) {
            problem(key, "must have at least one entry");
            return List.of();
        }
        List<T> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                problem(at, "must be an object, got " + describe(entry));
                continue;
            }
            T value = read.apply((ObjectNode) entry, at);
            if (value != null) {
                entries.add(value);
            }
        }
        return entries;
    }

    private String entryName(ObjectNode entry, String at) {
        String name = name(entry.get("name"), at + ".name", true);
        return name == null ? at : name;
    }

    private PromptEntry prompt(ObjectNode entry, String at) {
        entry.fieldNames().forEachRemaining(key -> {
            if (!key.equals("name") && !key.equals("template")) {
                problem(at + "." + key, "unknown key" + didYouMean(key, List.of("name", "template"))
                        + "; a prompt has a name and a template");
            }
        });
        String name = entryName(entry, at);
        JsonNode template = entry.get("template");
        if (absent(template)) {
            problem(at + ".template", "required: the prompt text, e.g. \"{character} dances the {motion}\"");
            return new PromptEntry(name, "");
        }
        if (!template.isTextual()) {
            problem(at + ".template", "must be text, got " + describe(template));
            return new PromptEntry(name, "");
        }
        return new PromptEntry(name, template.textValue());
    }

    private JobEntry job(ObjectNode entry, String at) {
        String character = name(entry.get("character"), at + ".character", true);
        String motion = name(entry.get("motion"), at + ".motion", true);
        if (character == null || motion == null) {
            return null;
        }
        return new JobEntry(
                name(entry.get("jobId"), at + ".jobId", false),
                character,
                motion,
                name(entry.get("prompt"), at + ".prompt", false),
                input(entry, at, JOB_KEYS),
                metadata(entry.get("metadata"), at + ".metadata"),
                priority(entry.get("priority"), at + ".priority"));
    }

    private Expansion expansion(ObjectNode root) {
        JsonNode node = root.get("expansion");
        boolean hasJobs = !absent(root.get("jobs"));
        if (absent(node)) {
            return hasJobs ? Expansion.LIST : Expansion.MATRIX;
        }
        String text = node.isTextual() ? node.textValue().trim().toUpperCase(Locale.ROOT) : "";
        Expansion expansion;
        if (text.equals("MATRIX")) {
            expansion = Expansion.MATRIX;
        } else if (text.equals("LIST")) {
            expansion = Expansion.LIST;
        } else {
            problem("expansion", "must be matrix or list, got " + shown(node));
            return hasJobs ? Expansion.LIST : Expansion.MATRIX;
        }
        if (expansion == Expansion.MATRIX && hasJobs) {
            problem("jobs", "only used with expansion: list (a matrix runs every character x motion x prompt)");
        }
        if (expansion == Expansion.LIST && !hasJobs) {
            problem("jobs", "required with expansion: list: the combinations to run (- character: ..., motion: ...)");
        }
        return expansion;
    }

    private ObjectNode defaults(JsonNode node) {
        if (absent(node)) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            problem("defaults", "must be an object of input fields (e.g. aspectRatio: \"16:9\"), got " + describe(node));
            return JsonNodeFactory.instance.objectNode();
        }
        return input((ObjectNode) node, "defaults", Set.of());
    }

    /** The entry's fields other than its own keys: Givon input fields, checked later against the model. */
    private ObjectNode input(ObjectNode entry, String at, Set<String> ownKeys) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        entry.properties().forEach(field -> {
            if (ownKeys.contains(field.getKey())) {
                return;
            }
            if (field.getKey().equals("prompt")) {
                problem(at + ".prompt", "prompts are written under prompts: (as templates), not here");
                return;
            }
            input.set(field.getKey(), field.getValue());
        });
        return input;
    }

    private Map<String, String> metadata(JsonNode node, String at) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (absent(node)) {
            return metadata;
        }
        if (!node.isObject()) {
            problem(at, "must be an object of text values, got " + describe(node));
            return metadata;
        }
        node.properties().forEach(field -> {
            JsonNode value = field.getValue();
            if (value.isValueNode() && !value.isNull()) {
                metadata.put(field.getKey(), value.asText());
            } else {
                problem(at + "." + field.getKey(), "must be text, got " + describe(value));
            }
        });
        return metadata;
    }

    private Integer priority(JsonNode node, String at) {
        if (absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            problem(at, "must be a whole number, got " + shown(node));
            return null;
        }
        return node.intValue();
    }

    /** Text or a number used as a name (YAML reads {@code name: 2024} as a number). */
    private String name(JsonNode node, String at, boolean required) {
        if (absent(node)) {
            if (required) {
                problem(at, "required");
            }
            return null;
        }
        if (!(node.isTextual() || node.isNumber()) || node.asText().isBlank()) {
            problem(at, "must be non-blank text, got " + shown(node));
            return null;
        }
        return node.asText().trim();
    }

    private String optionalText(JsonNode node, String at) {
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            problem(at, "must be text, got " + describe(node));
            return null;
        }
        return node.textValue();
    }

    /** {@code " (did you mean \"tenant\"?)"} for a near miss of a known key ({@code tennant}), else nothing. */
    private static String didYouMean(String key, Collection<String> known) {
        return NearestName.among(key, known).map(name -> " (did you mean \"" + name + "\"?)").orElse("");
    }

    private void problem(String location, String message) {
        problems.add(new ManifestProblem(location, message));
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "text";
            case NUMBER -> node.isIntegralNumber() ? "a whole number" : "a decimal number";
            case BOOLEAN -> "true/false";
            case ARRAY -> "a list";
            case OBJECT, POJO -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String shown(JsonNode node) {
        return node.isValueNode() ? node.asText() + " (" + describe(node) + ")" : describe(node);
    }
}
