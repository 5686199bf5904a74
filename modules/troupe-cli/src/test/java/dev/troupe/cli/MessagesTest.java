package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user reads when a file is broken: Troupe's own words, each value once, no Jackson internals. */
class MessagesTest {

    @TempDir
    Path dir;

    @Test
    void aBrokenJobFileSaysWhereWithoutJacksonsRedactedSource() throws Exception {
        Path file = Files.writeString(dir.resolve("job.json"), "[[[[");

        CliRun.Result submit = CliRun.run("submit", "--file", file.toString(), "--dry-run");

        assertThat(submit.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(submit.err()).isEqualTo("troupe submit: " + file + " is not valid JSON: Unexpected end-of-input: expected close marker"
                + " for Array (start marker at line 1, column 4)" + System.lineSeparator());
    }

    @Test
    void aBrokenManifestIsOneLineAtItsPlace() throws Exception {
        Path manifest = Files.writeString(dir.resolve("bad.yaml"), "batchId: [\n");

        CliRun.Result batch = CliRun.run("batch", manifest.toString(), "--dry-run");

        assertThat(batch.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(batch.err()).isEqualTo("troupe batch: " + manifest + " is invalid (1 problem):" + System.lineSeparator()
                + "  line 1, column 11: not valid YAML: while parsing a flow node: expected the node content, but found '<stream end>'"
                + System.lineSeparator());
    }

    @Test
    void aValueIsShownOnceInEachProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("job.json"), """
                {"batchId": 7, "input": {"prompt": "Ada", "referencePhoto": "https://a.example/a.png",
                 "motionVideo": "https://a.example/m.mp4", "duration": 3.5, "aspectRatio": 1.5, "audioEnabled": "yes"}}
                """);

        CliRun.Result submit = CliRun.run("submit", "--file", file.toString(), "--dry-run");

        assertThat(submit.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(submit.err().lines().skip(1)).containsExactlyInAnyOrder(
                "  batchId: must be a string, got 7",
                "  input.duration: must be a whole number written without a decimal point (e.g. 3), got 3.5",
                "  input.aspectRatio: must be a string, one of 9:16, 16:9, 1:1, 4:3, 3:4, got 1.5",
                "  input.audioEnabled: must be a JSON boolean (true or false), got a string \"yes\"");
    }

    @Test
    void aFileThatIsNotUtf8SaysSo() throws Exception {
        Path file = Files.write(dir.resolve("job.json"), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'});

        CliRun.Result submit = CliRun.run("submit", "--file", file.toString(), "--dry-run");

        assertThat(submit.err()).isEqualTo("troupe submit: " + file + " is not UTF-8 text" + System.lineSeparator());
    }
}
