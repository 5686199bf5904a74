package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.ControlCodec;
import dev.troupe.model.ControlCommand;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe cancel / pause / resume} write one command each to the control topic, keyed by its target. */
@ExtendWith(KafkaClusterExtension.class)
class ControlCommandsTest {

    @TempDir
    Path dir;

    @Test
    void eachCommandWritesOneRecordKeyedByItsTarget(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        String config = topics.config().toString();

        CliRun.Result cancel = CliRun.run("cancel", "--batch", "spring", "--reason", "wrong clip", "--config", config);
        CliRun.Result pause = CliRun.run("pause", "--tenant", "studio-a", "--config", config);
        CliRun.Result resume = CliRun.run("resume", "--all", "--config", config);

        assertThat(List.of(cancel, pause, resume)).allSatisfy(run -> assertThat(run.exitCode()).as(run.toString()).isZero());
        assertThat(cancel.out()).contains("CANCEL batch:spring sent to " + topics.control()
                + ": the jobs Givon has not accepted end CANCELLED; those it runs finish");
        assertThat(pause.out()).contains("the jobs of studio-a not yet at Givon wait until: troupe resume --tenant studio-a");
        List<ConsumerRecord<String, String>> records = kafka.readAll(topics.control());
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("batch:spring", "tenant:studio-a", "fleet");
        List<ControlCommand> commands = records.stream().map(r -> ((ControlCodec.Command) new ControlCodec()
                .decode(r.value().getBytes(StandardCharsets.UTF_8))).command()).toList();
        assertThat(commands).extracting(ControlCommand::kind).containsExactly(ControlCommand.Kind.CANCEL, ControlCommand.Kind.PAUSE,
                ControlCommand.Kind.RESUME);
        assertThat(commands.get(0).reason()).isEqualTo("wrong clip");
    }

    @Test
    void aCommandNeedsExactlyOneTarget(KafkaCluster kafka) throws Exception {
        TestTopics topics = TestTopics.create(kafka, dir).created();
        String config = topics.config().toString();

        CliRun.Result none = CliRun.run("cancel", "--config", config);
        CliRun.Result both = CliRun.run("pause", "--tenant", "a", "--all", "--config", config);
        CliRun.Result badId = CliRun.run("cancel", "--job", "not an id", "--config", config);

        assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("--batch=ID").contains("--job=ID");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.exitCode()).as(badId.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badId.err()).contains("id of a job must be 1 to 128 characters");
        assertThat(kafka.readAll(topics.control())).isEmpty();
    }
}
