package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The control commands' wire form: every command the codec writes is read back and matches its schema; bad ones name their field. */
class ControlCodecTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private final ControlCodec codec = new ControlCodec();

    @Test
    void everyKindOfCommandIsReadBackAndMatchesItsSchema() {
        List<ControlCommand> commands = List.of(ControlCommand.cancelBatch("spring", AT, "wrong motion"),
                ControlCommand.cancelJob("spring:ada:salsa", AT, null), ControlCommand.pause("studio-a", AT, "invoice"),
                ControlCommand.resume("studio-a", AT, null), ControlCommand.pause(null, AT, "Givon maintenance"),
                ControlCommand.resume(null, AT, null));
        for (ControlCommand command : commands) {
            byte[] written = codec.encode(command);
            assertThat(codec.decode(written)).isEqualTo(new ControlCodec.Command(command));
            assertThat(RecordSchemas.errors(RecordSchema.CONTROL, written)).as(command.toString()).isEmpty();
        }
        assertThat(commands).extracting(ControlCommand::key)
                .containsExactly("batch:spring", "job:spring:ada:salsa", "tenant:studio-a", "tenant:studio-a", "fleet", "fleet");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"kind\":\"CANCEL\",\"target\":\"BATCH\",\"id\":\"b\",\"at\":\"2026-12-03T10:00:00Z\"}|schema",
        "{\"schema\":\"troupe.control/v1\",\"kind\":\"STOP\",\"target\":\"BATCH\",\"id\":\"b\",\"at\":\"2026-12-03T10:00:00Z\"}|kind",
        "{\"schema\":\"troupe.control/v1\",\"kind\":\"CANCEL\",\"target\":\"BATCH\",\"at\":\"2026-12-03T10:00:00Z\"}|id",
        "{\"schema\":\"troupe.control/v1\",\"kind\":\"CANCEL\",\"target\":\"BATCH\",\"id\":\"a b\",\"at\":\"2026-12-03T10:00:00Z\"}|id",
        "{\"schema\":\"troupe.control/v1\",\"kind\":\"PAUSE\",\"target\":\"FLEET\",\"id\":\"x\",\"at\":\"2026-12-03T10:00:00Z\"}|id",
        "{\"schema\":\"troupe.control/v1\",\"kind\":\"PAUSE\",\"target\":\"TENANT\",\"id\":\"studio-a\",\"at\":\"yesterday\"}|at",
        "{\"schema\":\"troupe.control/v1\",\"kind\":\"PAUSE\",\"target\":\"TENANT\",\"id\":\"studio-a\"}|at",
    })
    void aCommandTheWorkersCannotFollowIsUnreadableNamingItsFieldAndTheSchemaRefusesItToo(String json, String field) {
        byte[] record = json.getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decode(record)).isInstanceOfSatisfying(ControlCodec.Unreadable.class,
                unreadable -> assertThat(unreadable.field()).isEqualTo(field));
        assertThat(RecordSchemas.errors(RecordSchema.CONTROL, record)).isNotEmpty();
    }

    @Test
    void aCancelOfATenantOrAPauseOfABatchIsNoCommand() {
        String cancelTenant = "{\"schema\":\"troupe.control/v1\",\"kind\":\"CANCEL\",\"target\":\"TENANT\",\"id\":\"t\",\"at\":\"2026-12-03T10:00:00Z\"}";
        assertThat(codec.decode(cancelTenant.getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(ControlCodec.Unreadable.class,
                unreadable -> assertThat(unreadable.reason()).isEqualTo("CANCEL applies to a batch or a job, not to tenant"));
        assertThat(RecordSchemas.errors(RecordSchema.CONTROL, cancelTenant)).isNotEmpty();
        assertThatThrownBy(() -> new ControlCommand(ControlCommand.Kind.PAUSE, ControlCommand.Target.BATCH, "b", AT, null))
                .hasMessage("PAUSE applies to a tenant or the fleet, not to batch");
        assertThat(codec.decode(new byte[0])).isInstanceOf(ControlCodec.Unreadable.class);
        assertThat(codec.decode("[".getBytes(StandardCharsets.UTF_8))).isInstanceOf(ControlCodec.Unreadable.class);
    }
}
