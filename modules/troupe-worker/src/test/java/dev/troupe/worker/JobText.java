package dev.troupe.worker;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A job record as JSON text, field by field in order, so that any value can be replaced by raw text:
 * a number no parser should read, a name given twice, an object nested a thousand levels deep.
 * Values are raw JSON ({@link #str} quotes a string) or nested {@code JobText} objects.
 */
final class JobText {

    private final List<String> names = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** A valid job of the built-in default model, as {@link Jobs#valid} writes it. */
    static JobText job(String jobId) {
        return new JobText()
                .put("schema", str("troupe.motion-job/v1"))
                .put("jobId", str(jobId))
                .put("batchId", str("hostile"))
                .put("metadata", new JobText().put("character", str("c1")))
                .put("input", new JobText()
                        .put("prompt", str("a character dancing the choreography"))
                        .put("duration", "3")
                        .put("referencePhoto", str("https://assets.example.com/characters/c1.png"))
                        .put("motionVideo", str("https://assets.example.com/motions/m1.mp4")));
    }

    /** A JSON string literal. */
    static String str(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /** {@code levels} of {@code open}, then {@code inner}, then as many {@code close}: JSON nested that deep. */
    static String nested(String open, String close, int levels, String inner) {
        return open.repeat(levels) + inner + close.repeat(levels);
    }

    /** A base64 data URI whose payload decodes to {@code decodedBytes} by its length (broken base64 unless {@code valid}). */
    static String dataUri(String mediaType, int decodedBytes, boolean valid) {
        int chars = (decodedBytes + 2) / 3 * 4;
        int padding = (3 - decodedBytes % 3) % 3;
        String payload = "A".repeat(chars - padding) + "=".repeat(padding);
        return "data:" + mediaType + ";base64," + (valid ? payload : "!" + payload.substring(1));
    }

    /** Sets the field, in place if it exists, else last. */
    JobText put(String name, Object rawOrObject) {
        int i = names.indexOf(name);
        if (i >= 0) {
            values.set(i, rawOrObject);
        } else {
            add(name, rawOrObject);
        }
        return this;
    }

    /** Appends the field even if the name is already there (a duplicate key). */
    JobText add(String name, Object rawOrObject) {
        names.add(name);
        values.add(rawOrObject);
        return this;
    }

    JobText remove(String name) {
        int i = names.indexOf(name);
        if (i >= 0) {
            names.remove(i);
            values.remove(i);
        }
        return this;
    }

    /** The nested object of this field, to change in place. */
    JobText obj(String name) {
        return (JobText) values.get(names.indexOf(name));
    }

    JobText input() {
        return obj("input");
    }

    JobText metadata() {
        return obj("metadata");
    }

    /** Adds an unknown field holding ASCII padding so that the whole record has exactly {@code totalBytes}. */
    JobText paddedTo(int totalBytes) {
        put("pad", str(""));
        int missing = totalBytes - bytes().length;
        if (missing < 0) {
            throw new IllegalArgumentException("the record has " + (totalBytes - missing) + " bytes already, more than " + totalBytes);
        }
        return put("pad", str("x".repeat(missing)));
    }

    String render() {
        StringBuilder out = new StringBuilder();
        render(out);
        return out.toString();
    }

    byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    private void render(StringBuilder out) {
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(str(names.get(i))).append(':');
            if (values.get(i) instanceof JobText nested) {
                nested.render(out);
            } else {
                out.append((String) values.get(i));
            }
        }
        out.append('}');
    }
}
