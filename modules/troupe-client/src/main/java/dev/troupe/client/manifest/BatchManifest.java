package dev.troupe.client.manifest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A batch of motion-transfer jobs described once: characters (reference photos), motions (motion
 * videos and their durations) and prompt templates, expanded by {@link ManifestExpander} either as the
 * full matrix (every character x every motion x every prompt) or as an explicit list of combinations.
 * Read one from YAML or JSON with {@link ManifestReader}; the format is documented in {@code docs/cli.md}.
 *
 * <p>Entries carry their Givon input fields as JSON ({@code referencePhoto}, {@code motionVideo},
 * {@code duration}, {@code aspectRatio}, ...) so that every catalog model's fields can be set and
 * validated by the same rules the workers apply. A job's input is merged from {@code defaults}, then
 * its character, its motion, its list entry, and finally the rendered prompt.
 *
 * @param batchId   the batch, also the first part of every derived jobId
 * @param tenant    budget key of every job, or null for the default budget
 * @param model     catalog model id, or null for the catalog's default model
 * @param priority  priority of every job unless a list entry sets its own, or null for 0
 * @param metadata  echoed into every result (the character, motion and prompt names are added)
 * @param defaults  input fields every job starts from (e.g. aspectRatio, audioEnabled)
 * @param jobs      the combinations of a {@link Expansion#LIST} manifest; empty for a matrix
 */
public record BatchManifest(
        String batchId,
        String tenant,
        String model,
        Integer priority,
        Map<String, String> metadata,
        ObjectNode defaults,
        List<CharacterEntry> characters,
        List<MotionEntry> motions,
        List<PromptEntry> prompts,
        Expansion expansion,
        List<JobEntry> jobs) {

    public BatchManifest {
        Objects.requireNonNull(batchId, "batchId");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        defaults = defaults == null ? JsonNodeFactory.instance.objectNode() : defaults.deepCopy();
        characters = List.copyOf(characters);
        motions = List.copyOf(motions);
        prompts = List.copyOf(prompts);
        Objects.requireNonNull(expansion, "expansion");
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** How entries become jobs. */
    public enum Expansion {
        /** Every character x every motion x every prompt, in that order. */
        MATRIX,
        /** Exactly the combinations listed under {@code jobs}. */
        LIST
    }

    /** A character: its name, an optional description for prompts, and input fields (at least {@code referencePhoto}). */
    public record CharacterEntry(String name, String description, ObjectNode input) {
        public CharacterEntry {
            Objects.requireNonNull(name, "name");
            input = input == null ? JsonNodeFactory.instance.objectNode() : input.deepCopy();
        }

        public static CharacterEntry of(String name, String referencePhoto) {
            return new CharacterEntry(name, null, JsonNodeFactory.instance.objectNode().put("referencePhoto", referencePhoto));
        }

        /** The text {@code {character}} stands for in a prompt. */
        public String shownAs() {
            return description != null ? description : name;
        }
    }

    /** A motion: its name, an optional description, and input fields ({@code motionVideo}, {@code duration}, ...). */
    public record MotionEntry(String name, String description, ObjectNode input) {
        public MotionEntry {
            Objects.requireNonNull(name, "name");
            input = input == null ? JsonNodeFactory.instance.objectNode() : input.deepCopy();
        }

        public static MotionEntry of(String name, String motionVideo, long durationSeconds) {
            return new MotionEntry(name, null, JsonNodeFactory.instance.objectNode()
                    .put("motionVideo", motionVideo).put("duration", durationSeconds));
        }

        public String shownAs() {
            return description != null ? description : name;
        }
    }

    /** A prompt template with placeholders such as {@code {character}} and {@code {motion}}; see {@link PromptTemplate}. */
    public record PromptEntry(String name, String template) {
        public PromptEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(template, "template");
        }
    }

    /**
     * One combination of a list manifest.
     *
     * @param jobId    an explicit jobId, or null to derive it
     * @param prompt   the prompt's name, or null when the manifest has exactly one prompt
     * @param input    input fields overriding the character's and motion's
     * @param priority overrides the manifest's priority, or null
     */
    public record JobEntry(String jobId, String character, String motion, String prompt, ObjectNode input,
            Map<String, String> metadata, Integer priority) {
        public JobEntry {
            Objects.requireNonNull(character, "character");
            Objects.requireNonNull(motion, "motion");
            input = input == null ? JsonNodeFactory.instance.objectNode() : input.deepCopy();
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }

        public static JobEntry of(String character, String motion, String prompt) {
            return new JobEntry(null, character, motion, prompt, null, null, null);
        }
    }
}
