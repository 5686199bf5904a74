package dev.troupe.model;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
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

    private JsonOut() {
    }

    static byte[] bytes(Body body) {
        // As ObjectMapper.writeValueAsBytes does: the factory's recycled buffers, not a new growing array per record.
        try (ByteArrayBuilder buffer = new ByteArrayBuilder(Json.MAPPER.getFactory()._getBufferRecycler())) {
            // The mapper's generator carries its write features (surrogate pairs as 4 UTF-8 bytes).
            try (JsonGenerator out = Json.MAPPER.createGenerator(buffer, JsonEncoding.UTF8)) {
                body.write(out);
            }
            byte[] bytes = buffer.toByteArray();
            buffer.release();
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }

    /** The field as a string, its value's {@code toString()}, when there is a value. */
    static void stringIfPresent(JsonGenerator out, String field, Object value) throws IOException {
        if (value != null) {
            out.writeStringField(field, value.toString());
        }
    }
}
