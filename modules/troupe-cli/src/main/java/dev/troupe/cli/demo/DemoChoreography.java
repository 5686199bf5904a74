package dev.troupe.cli.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.troupe.client.manifest.BatchManifest;
import dev.troupe.client.manifest.BatchManifest.CharacterEntry;
import dev.troupe.client.manifest.BatchManifest.Expansion;
import dev.troupe.client.manifest.BatchManifest.JobEntry;
import dev.troupe.client.manifest.BatchManifest.MotionEntry;
import dev.troupe.client.manifest.BatchManifest.PromptEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's sample batch: characters x dances with https sample assets on a made-up host (nothing is
 * fetched: the simulator only checks the URLs' form). 48 jobs are 6 characters x 8 dances.
 */
public final class DemoChoreography {

    public static final String TENANT = "demo-studio";
    static final String ASSETS = "https://assets.troupe.example";
    static final int DANCES_PER_CHARACTER = 8;

    private record Character(String name, String description) {
    }

    private record Dance(String name, String description, int seconds) {
    }

    private static final List<Character> CHARACTERS = List.of(
            new Character("ada", "Ada, a silver robot in a red coat"),
            new Character("basil", "Basil, a tall heron in a tuxedo"),
            new Character("coco", "Coco, a cheerful clay figure"),
            new Character("dmitri", "Dmitri, a bearded lumberjack"),
            new Character("elena", "Elena, a painter in a paint-splattered apron"),
            new Character("felix", "Felix, an orange cat in sneakers"),
            new Character("grace", "Grace, an astronaut in a white suit"),
            new Character("hugo", "Hugo, a knight in shining armour"),
            new Character("iris", "Iris, a ballerina made of glass"),
            new Character("jonas", "Jonas, a skateboarder in a yellow hoodie"),
            new Character("kiko", "Kiko, a small green dragon"),
            new Character("luna", "Luna, a violinist in a velvet dress"));

    private static final List<Dance> DANCES = List.of(
            new Dance("salsa", "salsa", 5),
            new Dance("hip-hop", "hip-hop routine", 4),
            new Dance("tango", "tango", 6),
            new Dance("ballet", "ballet solo", 8),
            new Dance("breakdance", "breakdance", 5),
            new Dance("flamenco", "flamenco", 6),
            new Dance("swing", "swing dance", 4),
            new Dance("k-pop", "k-pop chorus", 3));

    static final String PROMPT = "{character} performs the {motion} on a softly lit stage, full body in frame, smooth camera";

    private DemoChoreography() {
    }

    /**
     * The sample batch with {@code jobs} jobs: each character dances the 8 dances in turn, so 48 jobs
     * are the full 6 x 8 matrix; counts that are not a multiple of 8 list their combinations explicitly.
     */
    public static BatchManifest manifest(String batchId, int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
        int dancesPerCharacter = Math.min(DANCES_PER_CHARACTER, jobs);
        int characterCount = (jobs + dancesPerCharacter - 1) / dancesPerCharacter;
        List<CharacterEntry> characters = new ArrayList<>();
        for (int i = 0; i < characterCount; i++) {
            Character c = CHARACTERS.get(i % CHARACTERS.size());
            String suffix = i < CHARACTERS.size() ? "" : "-" + (i / CHARACTERS.size() + 1);
            characters.add(new CharacterEntry(c.name() + suffix, c.description(), JsonNodeFactory.instance.objectNode()
                    .put("referencePhoto", ASSETS + "/characters/" + c.name() + ".png")));
        }
        List<MotionEntry> motions = new ArrayList<>();
        for (Dance d : DANCES.subList(0, dancesPerCharacter)) {
            motions.add(new MotionEntry(d.name(), d.description(), JsonNodeFactory.instance.objectNode()
                    .put("motionVideo", ASSETS + "/motions/" + d.name() + ".mp4").put("duration", d.seconds())));
        }
        List<PromptEntry> prompts = List.of(new PromptEntry("stage", PROMPT));
        boolean fullMatrix = jobs == characterCount * dancesPerCharacter;
        List<JobEntry> list = new ArrayList<>();
        if (!fullMatrix) {
            for (int i = 0; i < jobs; i++) {
                list.add(JobEntry.of(characters.get(i / dancesPerCharacter).name(), motions.get(i % dancesPerCharacter).name(), null));
            }
        }
        return new BatchManifest(batchId, TENANT, null, null, Map.of("source", "troupe demo"),
                JsonNodeFactory.instance.objectNode().put("aspectRatio", "9:16"),
                characters, motions, prompts, fullMatrix ? Expansion.MATRIX : Expansion.LIST, list);
    }
}
