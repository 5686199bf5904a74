package dev.troupe.client.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.client.ViolationText;
import dev.troupe.client.manifest.BatchManifest.CharacterEntry;
import dev.troupe.client.manifest.BatchManifest.JobEntry;
import dev.troupe.client.manifest.BatchManifest.MotionEntry;
import dev.troupe.client.manifest.BatchManifest.PromptEntry;
import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a {@link BatchManifest} into a {@link BatchPlan}: expands the matrix or the list, renders the
 * prompts, derives deterministic jobIds ({@link JobIds}), and validates every job with the same
 * {@link JobCodec} the workers use. Nothing is partially accepted: either every job is valid, or an
 * {@link InvalidManifestException} lists every problem at its place in the manifest, such as
 * {@code motions[2].duration: ...} for a rule broken by a motion's duration in each of its jobs.
 * Thread-safe.
 */
public final class ManifestExpander {

    /** Problems shown per place before the rest are counted. */
    static final int MAX_PROBLEMS_PER_LOCATION = ManifestProblems.MAX_PER_LOCATION;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobCodec codec;

    public ManifestExpander(JobCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * @throws InvalidManifestException listing every problem of the manifest
     */
    public BatchPlan expand(BatchManifest manifest) {
        return expand(manifest, List.of(), "manifest");
    }

    /**
     * Reads and expands a manifest file, reporting shape problems and job problems together.
     *
     * @throws InvalidManifestException listing every problem, each with its place
     * @throws IOException when the file cannot be read
     */
    public BatchPlan expand(Path manifestFile) throws IOException {
        ManifestReader.Parsed parsed = ManifestReader.parseLeniently(Files.readString(manifestFile),
                ManifestReader.Format.of(manifestFile));
        if (parsed.manifest() == null) {
            throw new InvalidManifestException(manifestFile.toString(), parsed.problems());
        }
        return expand(parsed.manifest(), parsed.problems(), manifestFile.toString());
    }

    private BatchPlan expand(BatchManifest manifest, List<ManifestProblem> earlier, String source) {
        ManifestProblems problems = new ManifestProblems(earlier);
        Map<String, Integer> characters = index(manifest.characters(), CharacterEntry::name, "characters", problems);
        Map<String, Integer> motions = index(manifest.motions(), MotionEntry::name, "motions", problems);
        Map<String, Integer> prompts = index(manifest.prompts(), PromptEntry::name, "prompts", problems);
        List<PromptTemplate> templates = templates(manifest.prompts(), problems);
        String model = manifest.model() == null ? ModelCatalog.DEFAULT_MODEL : manifest.model();

        List<Combination> combinations = switch (manifest.expansion()) {
            case MATRIX -> matrix(manifest);
            case LIST -> list(manifest, characters, motions, prompts, problems);
        };
        List<PlannedJob> planned = new ArrayList<>();
        Map<String, String> firstLocationOfId = new HashMap<>();
        for (Combination combination : combinations) {
            PromptTemplate template = templates.get(combination.prompt());
            PlannedJob job = plan(manifest, model, combination, template, problems);
            if (job == null || template == null) {
                continue; // invalid; a broken template is reported once, at the template
            }
            String earlierAt = firstLocationOfId.putIfAbsent(job.jobId(), combination.location(manifest));
            if (earlierAt != null) {
                problems.add(combination.location(manifest), "gives jobId " + job.jobId() + ", the same as " + earlierAt
                        + (combination.entry() == null ? "; rename one of them" : "; set a different jobId on one of them"));
                continue;
            }
            planned.add(job);
        }
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(source, problems.list());
        }
        return new BatchPlan(manifest.batchId(), manifest.tenant(), planned);
    }

    /** Which character, motion and prompt (indexes), and the list entry when there is one. */
    private record Combination(int character, int motion, int prompt, int entryIndex, JobEntry entry) {

        String location(BatchManifest manifest) {
            return entry != null ? "jobs[" + entryIndex + "]"
                    : "characters[" + character + "] x motions[" + motion + "] x prompts[" + prompt + "]";
        }
    }

    private static List<Combination> matrix(BatchManifest manifest) {
        List<Combination> combinations = new ArrayList<>();
        for (int c = 0; c < manifest.characters().size(); c++) {
            for (int m = 0; m < manifest.motions().size(); m++) {
                for (int p = 0; p < manifest.prompts().size(); p++) {
                    combinations.add(new Combination(c, m, p, -1, null));
                }
            }
        }
        return combinations;
    }

    private static List<Combination> list(BatchManifest manifest, Map<String, Integer> characters, Map<String, Integer> motions,
            Map<String, Integer> prompts, ManifestProblems problems) {
        List<Combination> combinations = new ArrayList<>();
        for (int n = 0; n < manifest.jobs().size(); n++) {
            JobEntry entry = manifest.jobs().get(n);
            String at = "jobs[" + n + "]";
            Integer character = lookUp(characters, entry.character(), at + ".character", "character", problems);
            Integer motion = lookUp(motions, entry.motion(), at + ".motion", "motion", problems);
            Integer prompt;
            if (entry.prompt() != null) {
                prompt = lookUp(prompts, entry.prompt(), at + ".prompt", "prompt", problems);
            } else if (manifest.prompts().size() == 1) {
                prompt = 0;
            } else {
                if (!manifest.prompts().isEmpty()) {
                    problems.add(at + ".prompt", "required when the manifest has more than one prompt; known: "
                            + String.join(", ", prompts.keySet()));
                }
                prompt = null;
            }
            if (character != null && motion != null && prompt != null) {
                combinations.add(new Combination(character, motion, prompt, n, entry));
            }
        }
        return combinations;
    }

    private PlannedJob plan(BatchManifest manifest, String model, Combination combination, PromptTemplate template,
            ManifestProblems problems) {
        CharacterEntry character = manifest.characters().get(combination.character());
        MotionEntry motion = manifest.motions().get(combination.motion());
        PromptEntry prompt = manifest.prompts().get(combination.prompt());
        JobEntry entry = combination.entry();
        String jobId = entry != null && entry.jobId() != null ? entry.jobId()
                : JobIds.derive(manifest.batchId(), character.name(), motion.name(), prompt.name());

        ObjectNode input = JSON.createObjectNode();
        Map<String, String> sources = new HashMap<>();
        merge(input, sources, manifest.defaults(), "defaults");
        merge(input, sources, character.input(), "characters[" + combination.character() + "]");
        merge(input, sources, motion.input(), "motions[" + combination.motion() + "]");
        if (entry != null) {
            merge(input, sources, entry.input(), "jobs[" + combination.entryIndex() + "]");
        }
        // With a broken template the job is still checked (for its other problems) on the raw text.
        input.put("prompt", template == null ? prompt.template() : template.render(Map.of(
                "character", character.shownAs(), "motion", motion.shownAs(),
                "characterName", character.name(), "motionName", motion.name(),
                "batchId", manifest.batchId())));
        sources.put("prompt", "prompts[" + combination.prompt() + "].template");

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("character", character.name());
        metadata.put("motion", motion.name());
        metadata.put("prompt", prompt.name());
        metadata.putAll(manifest.metadata());
        Integer priority = manifest.priority();
        if (entry != null) {
            metadata.putAll(entry.metadata());
            priority = entry.priority() != null ? entry.priority() : priority;
        }

        ObjectNode job = JSON.createObjectNode();
        job.put("schema", MotionJob.SCHEMA);
        job.put("jobId", jobId);
        job.put("batchId", manifest.batchId());
        if (manifest.tenant() != null) {
            job.put("tenant", manifest.tenant());
        }
        if (priority != null) {
            job.put("priority", priority);
        }
        ObjectNode meta = job.putObject("metadata");
        metadata.forEach(meta::put);
        job.put("model", model);
        job.set("input", input);

        DecodeResult decoded = codec.decode(bytes(job));
        if (decoded instanceof DecodeResult.Decoded ok) {
            MotionJob valid = ok.job();
            return new PlannedJob(valid, codec.catalog().require(valid.model()).cost(valid.input()),
                    character.name(), motion.name(), prompt.name());
        }
        if (decoded instanceof DecodeResult.Invalid invalid) {
            for (Violation violation : invalid.violations()) {
                String at = locate(violation.path(), combination, entry, sources, manifest);
                if (at.startsWith("prompts[") && template == null) {
                    continue;
                }
                if (at.startsWith("prompts[")) {
                    // The rendered prompt is long and differs per job: name the job instead of quoting it.
                    Violation unquoted = new Violation(violation.path(), violation.rule(), null, violation.message());
                    problems.add(at, ViolationText.sentence(unquoted) + " (job " + jobId + ")");
                } else {
                    problems.add(at, ViolationText.sentence(violation));
                }
            }
            return null;
        }
        problems.add(combination.location(manifest), ((DecodeResult.Unreadable) decoded).reason());
        return null;
    }

    /** Where in the manifest the field a violation names was written (or should have been). */
    private static String locate(String path, Combination combination, JobEntry entry, Map<String, String> sources,
            BatchManifest manifest) {
        String jobAt = combination.location(manifest);
        if (path.startsWith("input.")) {
            String field = path.substring("input.".length());
            String source = sources.get(field);
            if (source != null) {
                return source.endsWith(".template") ? source : source + "." + field;
            }
            return switch (field) {
                case "referencePhoto" -> "characters[" + combination.character() + "]." + field;
                case "motionVideo" -> "motions[" + combination.motion() + "]." + field;
                default -> jobAt + "." + field;
            };
        }
        return switch (path.contains(".") ? path.substring(0, path.indexOf('.')) : path) {
            case "batchId", "tenant", "model" -> path;
            case "jobId" -> entry != null && entry.jobId() != null ? jobAt + ".jobId" : "batchId";
            case "priority" -> entry != null && entry.priority() != null ? jobAt + ".priority" : "priority";
            case "metadata" -> entry != null && !entry.metadata().isEmpty() ? jobAt + "." + path : path;
            default -> path.isEmpty() ? jobAt : jobAt + "." + path;
        };
    }

    private static void merge(ObjectNode input, Map<String, String> sources, ObjectNode fields, String location) {
        fields.properties().forEach(field -> {
            input.set(field.getKey(), field.getValue());
            sources.put(field.getKey(), location);
        });
    }

    private static <T> Map<String, Integer> index(List<T> entries, Function<T, String> name, String list, ManifestProblems problems) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Integer earlier = byName.putIfAbsent(name.apply(entries.get(i)), i);
            if (earlier != null) {
                problems.add(list + "[" + i + "].name", "'" + name.apply(entries.get(i)) + "' is already the name of "
                        + list + "[" + earlier + "]");
            }
        }
        return byName;
    }

    private static List<PromptTemplate> templates(List<PromptEntry> prompts, ManifestProblems problems) {
        List<PromptTemplate> templates = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            try {
                templates.add(PromptTemplate.parse(prompts.get(i).template()));
            } catch (IllegalArgumentException e) {
                problems.add("prompts[" + i + "].template", e.getMessage());
                templates.add(null);
            }
        }
        return templates;
    }

    private static Integer lookUp(Map<String, Integer> byName, String name, String at, String kind, ManifestProblems problems) {
        Integer index = byName.get(name);
        if (index == null) {
            problems.add(at, "no " + kind + " named '" + name + "'; known: " + String.join(", ", byName.keySet()));
        }
        return index;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a job as JSON", e);
        }
    }
}
