package dev.troupe.model;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Records written straight to bytes with the model's mapper's generator: the bytes an ObjectNode tree
 * of the same fields in the same order gave, without building the tree (the hot path writes a journal
 * entry, a progress event and a result per job).
 */
final class JsonOut {

    /** Writes one JSON value. */
    interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    private static final int INITIAL_BYTES = 512;

    private JsonOut() {
    }

    static byte[] bytes(Body body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(INITIAL_BYTES);
        // The mapper's generator carries its write features (surrogate pairs as 4 UTF-8 bytes).
        try (JsonGenerator out = Json.MAPPER.createGenerator(buffer)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return buffer.toByteArray();
    }

    /** The field as a string, its value's {@code toString()}, when there is a value. */
    static void stringIfPresent(JsonGenerator out, String field, Object value) throws IOException {
        if (value != null) {
            out.writeStringField(field, value.toString());
        }
    }
}
