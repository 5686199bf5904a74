package dev.troupe.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
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
        if (value == null || value.length == 0) {
            throw new Refused("", "the record is empty");
        }
        if (value.length > MAX_RECORD_BYTES) {
            throw new Refused("", "the record has " + value.length + " bytes, more than the " + MAX_RECORD_BYTES
                    + " a control command may have");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(JobCodec.strictUtf8(value));
        } catch (JsonProcessingException e) {
            throw new Refused("", JobCodec.notJson(e));
        }
        if (root == null || !root.isObject()) {
            throw new Refused("", "the record is not a JSON object");
        }
        if (!ControlCommand.SCHEMA.equals(text(root, "schema", true))) {
            throw new Refused("schema", "schema must be \"" + ControlCommand.SCHEMA + "\"");
        }
        ControlCommand.Kind kind = oneOf(ControlCommand.Kind.class, root, "kind");
        ControlCommand.Target target = oneOf(ControlCommand.Target.class, root, "target");
        String id = text(root, "id", target != ControlCommand.Target.FLEET);
        checkId(target, id);
        String at = text(root, "at", true);
        Instant when;
        try {
            when = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new Refused("at", "at must be an ISO-8601 instant such as 2026-12-03T10:00:00Z, got \""
                    + Violation.display(Texts.clip(at, 40)) + "\"");
        }
        return new ControlCommand(kind, target, id, when, text(root, "reason", false));
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

    private static <E extends Enum<E>> E oneOf(Class<E> type, JsonNode root, String field) {
        String text = text(root, field, true);
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new Refused(field, field + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", got \""
                    + Violation.display(Texts.clip(text, 40)) + "\"");
        }
    }

    private static void require(boolean holds, String field, String reason) {
        if (!holds) {
            throw new Refused(field, reason);
        }
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (Json.absent(node)) {
            if (required) {
                throw new Refused(field, field + " is required");
            }
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > MAX_RECORD_BYTES) {
            throw new Refused(field, field + " must be a string, got " + Json.describe(node));
        }
        return node.textValue();
    }

    private static final class Refused extends RuntimeException {
        final String field;

        Refused(String field, String reason) {
            super(reason, null, false, false);
            this.field = field;
        }
    }
}
