package dev.troupe.model;

import static dev.troupe.model.RecordFields.instant;
import static dev.troupe.model.RecordFields.oneOf;
import static dev.troupe.model.RecordFields.require;
import static dev.troupe.model.RecordFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.model.RecordFields.Refused;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The JSON (UTF-8) wire form of a {@link ControlCommand} on {@code troupe.control}:
 * {@code {"schema":"troupe.control/v1","kind":"CANCEL|PAUSE|RESUME","target":"BATCH|JOB|TENANT|FLEET","id","at","reason"}}
 * ({@code id} absent for the fleet, {@code reason} optional). Ids follow the job's rules (a batchId or
 * jobId: 1 to 128 of A-Z a-z 0-9 . _ : -; a tenant 1 to 64). Thread-safe; {@link #decode} never throws.
 */
public final class ControlCodec {

    /** A command is a few hundred bytes. */
    public static final int MAX_RECORD_BYTES = 4 * 1024;

    /** What a record value turned out to be. */
    public sealed interface Decoded {}

    public record Command(ControlCommand command) implements Decoded {}

    /** Not a command: the field at fault and why, bounded, on one line. */
    public record Unreadable(String field, String reason) implements Decoded {
        public Unreadable {
            field = Texts.clip(field, 200);
            reason = Violation.display(Texts.clip(reason, 600));
        }
    }

    /** @throws IllegalArgumentException naming the field and the rule the command breaks */
    public byte[] encode(ControlCommand command) {
        Objects.requireNonNull(command, "command");
        try {
            checkId(command.target(), command.id());
        } catch (Refused e) {
            throw new IllegalArgumentException("control command " + command.kind() + " " + command.key() + " cannot be written: "
                    + e.getMessage(), e);
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", ControlCommand.SCHEMA);
        root.put("kind", command.kind().name());
        root.put("target", command.target().name());
        if (command.id() != null) {
            root.put("id", command.id());
        }
        root.put("at", command.at().toString());
        if (command.reason() != null) {
            root.put("reason", command.reason());
        }
        return JobCodec.bytes(root);
    }

    public Decoded decode(byte[] value) {
        try {
            return new Command(read(value));
        } catch (Refused e) {
            return new Unreadable(e.field, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Unreadable("", e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return new Unreadable("", "the record could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ControlCommand read(byte[] value) {
        JsonNode root = RecordFields.object(value, MAX_RECORD_BYTES, "a control command");
        RecordFields.schema(root, ControlCommand.SCHEMA);
        ControlCommand.Kind kind = oneOf(ControlCommand.Kind.class, root, "kind");
        ControlCommand.Target target = oneOf(ControlCommand.Target.class, root, "target");
        String id = text(root, "id", target != ControlCommand.Target.FLEET);
        checkId(target, id);
        return new ControlCommand(kind, target, id, instant(root, "at"), text(root, "reason", false));
    }

    private static void checkId(ControlCommand.Target target, String id) {
        switch (target) {
            case BATCH, JOB -> require(id != null && JobReader.ID.matcher(id).matches(), "id",
                    "id of a " + target.name().toLowerCase(java.util.Locale.ROOT) + " must be 1 to " + JobReader.MAX_ID
                            + " characters of A-Z a-z 0-9 . _ : -");
            case TENANT -> require(id != null && JobReader.TENANT.matcher(id).matches(), "id",
                    "id of a tenant must be 1 to " + JobReader.MAX_TENANT + " characters of A-Z a-z 0-9 . _ : -");
            case FLEET -> require(id == null, "id", "a command to the fleet has no id");
        }
    }
}
