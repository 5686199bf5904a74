package dev.troupe.client.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.model.JobCodec;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestExpansionTest {

    private final ManifestExpander expander = new ManifestExpander(JobCodec.defaults());

    @TempDir
    Path dir;

    static final String MATRIX = """
            batchId: spring
            tenant: studio-a
            metadata:
              project: showcase
            defaults:
              aspectRatio: "16:9"
            characters:
              - name: ada
                description: Ada, a robot
                referencePhoto: https://assets.example/ada.png
              - name: basil
                referencePhoto: https://assets.example/basil.png
            motions:
              - name: salsa
                motionVideo: https://assets.example/salsa.mp4
                duration: 5
              - name: tango
                description: slow tango
                motionVideo: https://assets.example/tango.mp4
                duration: 6
                audioEnabled: true
              - name: k-pop
                motionVideo: https://assets.example/k-pop.mp4
                duration: 3
            prompts:
              - name: stage
                template: "{character} performs the {motion} on a stage"
              - name: beach
                template: "{characterName} dances {motionName} on a beach ({batchId}) {{sunset}}"
            """;

    @Test
    void matrixRunsEveryCharacterWithEveryMotionAndEveryPrompt() throws IOException {
        BatchPlan plan = expander.expand(write("matrix.yaml", MATRIX));

        assertThat(plan.batchId()).isEqualTo("spring");
        assertThat(plan.size()).isEqualTo(2 * 3 * 2);
        assertThat(plan.jobIds()).containsExactly(
                "spring:ada:salsa:stage", "spring:ada:salsa:beach", "spring:ada:tango:stage", "spring:ada:tango:beach",
                "spring:ada:k-pop:stage", "spring:ada:k-pop:beach",
                "spring:basil:salsa:stage", "spring:basil:salsa:beach", "spring:basil:tango:stage", "spring:basil:tango:beach",
                "spring:basil:k-pop:stage", "spring:basil:k-pop:beach");
        MotionJob adaTango = job(plan, "spring:ada:tango:stage");
        assertThat(adaTango.input().text("prompt")).hasValue("Ada, a robot performs the slow tango on a stage");
        assertThat(adaTango.input().text("aspectRatio")).hasValue("16:9");
        assertThat(adaTango.input().flag("audioEnabled")).hasValue(true);
        assertThat(adaTango.input().integer("duration")).hasValue(6L);
        assertThat(adaTango.input().text("referencePhoto")).hasValue("https://assets.example/ada.png");
        assertThat(adaTango.tenant()).isEqualTo("studio-a");
        assertThat(adaTango.batchId()).isEqualTo("spring");
        assertThat(adaTango.metadata()).containsEntry("character", "ada").containsEntry("motion", "tango")
                .containsEntry("prompt", "stage").containsEntry("project", "showcase");
        assertThat(job(plan, "spring:basil:salsa:beach").input().text("prompt"))
                .hasValue("basil dances salsa on a beach (spring) {sunset}");
        assertThat(job(plan, "spring:basil:k-pop:stage").input().flag("audioEnabled")).hasValue(false);
        // 7 tokens per second: each character x (5 + 6 + 3) s x 2 prompts
        assertThat(plan.totalTokens()).isEqualTo(Tokens.of(7 * (5 + 6 + 3) * 2 * 2));
        assertThat(plan.estimatedTime(5, Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(3 * 90));
    }

    @Test
    void listRunsOnlyTheListedCombinationsWithTheirOverrides() throws IOException {
        Path file = write("list.yaml", MATRIX + """
                expansion: list
                jobs:
                  - character: basil
                    motion: tango
                    prompt: beach
                    aspectRatio: "1:1"
                    priority: 7
                    metadata:
                      cut: square
                  - character: ada
                    motion: salsa
                    prompt: stage
                    jobId: hand-picked-id
                """);

        BatchPlan plan = expander.expand(file);

        assertThat(plan.jobIds()).containsExactly("spring:basil:tango:beach", "hand-picked-id");
        MotionJob first = plan.jobs().get(0).job();
        assertThat(first.input().text("aspectRatio")).hasValue("1:1");
        assertThat(first.priority()).isEqualTo(7);
        assertThat(first.metadata()).containsEntry("cut", "square").containsEntry("character", "basil");
        assertThat(plan.jobs().get(1).job().input().text("aspectRatio")).hasValue("16:9");
        assertThat(plan.totalTokens()).isEqualTo(Tokens.of(42 + 35));
    }

    @Test
    void theSameManifestYieldsTheSameJobsOnEveryRun() throws IOException {
        Path file = write("again.yaml", MATRIX);

        BatchPlan first = new ManifestExpander(JobCodec.defaults()).expand(file);
        BatchPlan second = new ManifestExpander(JobCodec.defaults()).expand(file);

        assertThat(second.jobIds()).containsExactlyElementsOf(first.jobIds());
        assertThat(second.motionJobs()).isEqualTo(first.motionJobs());
    }

    @Test
    void aJsonManifestReadsLikeItsYamlTwin() throws IOException {
        String json = """
                {"batchId": "spring", "tenant": "studio-a",
                 "characters": [{"name": "ada", "referencePhoto": "https://assets.example/ada.png"}],
                 "motions": [{"name": "salsa", "motionVideo": "https://assets.example/salsa.mp4", "duration": 5}],
                 "prompts": [{"name": "stage", "template": "{character} dances {motion}"}]}
                """;
        String yaml = """
                batchId: spring
                tenant: studio-a
                characters: [{name: ada, referencePhoto: "https://assets.example/ada.png"}]
                motions: [{name: salsa, motionVideo: "https://assets.example/salsa.mp4", duration: 5}]
                prompts: [{name: stage, template: "{character} dances {motion}"}]
                """;

        BatchPlan fromJson = expander.expand(write("m.json", json));
        BatchPlan fromYaml = expander.expand(write("m.yml", yaml));

        assertThat(fromJson.motionJobs()).isEqualTo(fromYaml.motionJobs());
        assertThat(fromJson.jobIds()).containsExactly("spring:ada:salsa:stage");
    }

    @Test
    void anInvalidManifestListsEveryProblemAtItsPlace() throws IOException {
        Path file = write("bad.yaml", """
                batchId: spring
                colour: red
                defaults:
                  aspectRatio: "2:1"
                characters:
                  - name: ada
                    referencePhoto: http://assets.example/ada.png
                  - name: ada
                    refrencePhoto: https://assets.example/ada2.png
                  - description: nameless
                    referencePhoto: https://assets.example/x.png
                motions:
                  - name: salsa
                    motionVideo: https://assets.example/salsa.mp4
                    duration: 5
                  - name: tango
                    motionVideo: https://assets.example/tango.mp4
                    duration: 20
                  - name: waltz
                    motionVideo: https://assets.example/waltz.mp4
                    duration: 3.5
                prompts:
                  - name: stage
                    template: "{character} dances {motoin}"
                  - name: long
                    template: "%s {character}"
                """.formatted("x".repeat(2_498)));

        assertThatThrownBy(() -> expander.expand(file))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> {
                    assertThat(e.problems().stream().map(ManifestProblem::location).distinct()).containsExactly(
                            "characters[0].referencePhoto",
                            "characters[1].name",
                            "characters[1].referencePhoto",
                            "characters[1].refrencePhoto",
                            "characters[2].name",
                            "colour",
                            "defaults.aspectRatio",
                            "motions[1].duration",
                            "motions[2].duration",
                            "prompts[0].template",
                            "prompts[1].template");
                    assertThat(e.problems()).extracting(ManifestProblem::toString).contains(
                            "motions[2].duration: must be a whole number written without a decimal point (e.g. 3), "
                                    + "got 3.5",
                            "motions[1].duration: must be within 3..15, got 20",
                            "characters[1].name: 'ada' is already the name of characters[0]",
                            "defaults.aspectRatio: must be one of 9:16, 16:9, 1:1, 4:3, 3:4 (got 2:1)");
                    // The too-long prompt breaks every job (those of characters[1] repeat characters[0]'s, as both are
                    // named ada): a few are shown, the rest counted.
                    assertThat(e.problems()).filteredOn(p -> p.location().equals("prompts[1].template"))
                            .extracting(ManifestProblem::message)
                            .hasSize(ManifestExpander.MAX_PROBLEMS_PER_LOCATION + 1)
                            .first().isEqualTo("has 2502 characters (Unicode code points), at most 2500 are allowed (job spring:ada:salsa:long)");
                    assertThat(e.problems()).extracting(ManifestProblem::toString)
                            .contains("prompts[1].template: ... and 3 more like these");
                    assertThat(e.getMessage()).startsWith(file + " is invalid (");
                });
    }

    @Test
    void listEntriesMustNameKnownEntriesAndAPromptWhenThereAreSeveral() throws IOException {
        Path file = write("refs.yaml", MATRIX + """
                jobs:
                  - character: zoe
                    motion: salsa
                    prompt: stage
                  - character: ada
                    motion: salsa
                  - character: ada
                    motion: tango
                    prompt: stage
                  - character: ada
                    motion: tango
                    prompt: stage
                """);

        assertThatThrownBy(() -> expander.expand(file))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .extracting(ManifestProblem::toString).containsExactly(
                                "jobs[0].character: no character named 'zoe'; known: ada, basil",
                                "jobs[1].prompt: required when the manifest has more than one prompt; known: stage, beach",
                                "jobs[3]: gives jobId spring:ada:tango:stage, the same as jobs[2]; set a different jobId on one of them"));
    }

    @Test
    void aSyntaxErrorNamesItsLine() throws IOException {
        Path file = write("broken.yaml", "batchId: spring\ncharacters:\n  - name: ada\n   referencePhoto: x\n");

        assertThatThrownBy(() -> expander.expand(file))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.location()).startsWith("line 4")));
    }

    @Test
    void aMisspeltKeyIsRefusedWithTheKeyItMostLikelyMeant() throws IOException {
        Path file = write("typo.yaml", MATRIX.replace("tenant: studio-a", "tennant: studio-a")
                .replace("template:", "templte:"));

        assertThatThrownBy(() -> expander.expand(file))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .extracting(ManifestProblem::toString)
                        .contains("tennant: unknown key (did you mean \"tenant\"?); known keys: batchId, characters, defaults, "
                                + "expansion, jobs, metadata, model, motions, priority, prompts, tenant")
                        .anySatisfy(p -> assertThat(p).startsWith("prompts[0].templte: unknown key (did you mean \"template\"?)")));
    }

    @Test
    void aRepeatedKeyIsRefusedRatherThanSilentlyOverwritten() throws IOException {
        Path file = write("twice.yaml", MATRIX + "batchId: autumn\n");

        assertThatThrownBy(() -> expander.expand(file))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.message()).contains("Duplicate field 'batchId'")));
    }

    @Test
    void aBadMotionIsReportedOnceNotOncePerCharacter() {
        BatchManifest manifest = new BatchManifest("b", null, null, null, null, null,
                List.of(BatchManifest.CharacterEntry.of("a", "https://x.example/a.png"),
                        BatchManifest.CharacterEntry.of("b", "https://x.example/b.png"),
                        BatchManifest.CharacterEntry.of("c", "https://x.example/c.png")),
                List.of(BatchManifest.MotionEntry.of("m", "https://x.example/m.mp4", 99)),
                List.of(new BatchManifest.PromptEntry("p", "{character}")),
                BatchManifest.Expansion.MATRIX, List.of());

        assertThatThrownBy(() -> expander.expand(manifest))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .extracting(ManifestProblem::toString)
                        .containsExactly("motions[0].duration: must be within 3..15, got 99"));
    }

    private static MotionJob job(BatchPlan plan, String jobId) {
        return plan.jobs().stream().filter(j -> j.jobId().equals(jobId)).findFirst().orElseThrow().job();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
