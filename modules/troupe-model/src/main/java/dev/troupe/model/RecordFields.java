package dev.troupe.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * The reading rules the small records share (operators' commands, progress events): the record is
 * one bounded JSON object, and each field is named in the refusal of a value it cannot take.
 */
final class RecordFields {

    private RecordFields() {
    }

    /** A field's value broke its rule: which field, and why (the message). */
    static final class Refused extends RuntimeException {
        final String field;

        Refused(String field, String reason) {
            super(reason, null, false, false);
            this.field = field;
        }
    }

    /** The record as a JSON object, at most {@code maxBytes} of strict UTF-8; {@code what} names it in refusals. */
    static JsonNode object(byte[] value, int maxBytes, String what) {
        if (value == null || value.length == 0) {
            throw new Refused("", "the record is empty");
        }
        if (value.length > maxBytes) {
            throw new Refused("", "the record has " + value.length + " bytes, more than the " + maxBytes + " " + what + " may have");
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
        return root;
    }

    /** Requires {@code schema} to be {@code expected}. */
    static void schema(JsonNode root, String expected) {
        if (!expected.equals(text(root, "schema", true))) {
            throw new Refused("schema", "schema must be \"" + expected + "\"");
        }
    }

    /** A text field; null when absent (or null) and not required. */
    static String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (Json.absent(node)) {
            if (required) {
                throw new Refused(field, field + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new Refused(field, field + " must be a string, got " + Json.describe(node));
        }
        return node.textValue();
    }

    static <E extends Enum<E>> E oneOf(Class<E> type, JsonNode root, String field) {
        String text = text(root, field, true);
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new Refused(field, field + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", got "
                    + JournalReader.quoted(Texts.clip(text, 40)));
        }
    }

    static Instant instant(JsonNode root, String field) {
        String text = text(root, field, true);
        if (text.length() <= JournalReader.MAX_INSTANT_CHARS) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw new Refused(field, field + " must be an ISO-8601 instant such as 2026-12-03T10:00:00Z, got "
                + JournalReader.quoted(Texts.clip(text, 40)));
    }

    /** A whole number within {@code min..max}; {@code prefix} (e.g. {@code counts.}) names where the field sits. */
    static int integer(JsonNode root, String field, int min, int max, String prefix) {
        String name = prefix + field;
        JsonNode node = root.get(field);
        if (Json.absent(node)) {
            throw new Refused(name, name + " is required");
        }
        if (!node.isIntegralNumber()) {
            throw new Refused(name, name + " must be an integer, got " + Json.describe(node));
        }
        if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw new Refused(name, name + " must be between " + min + " and " + max + ", got "
                    + Violation.display(Texts.clip(node.toString(), 40)));
        }
        return node.intValue();
    }

    static int integer(JsonNode root, String field, int min, int max) {
        return integer(root, field, min, max, "");
    }

    static void require(boolean holds, String field, String reason) {
        if (!holds) {
            throw new Refused(field, reason);
        }
    }
}
