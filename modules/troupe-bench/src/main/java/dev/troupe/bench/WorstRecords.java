package dev.troupe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code troupe.jobs} records that cost the codec most, one per kind of hostility, and a typical
 * valid job beside them as the reference. Sizes are chosen at the limits: 1,000,000 bytes is
 * validation.max-record-bytes, 700,000 bytes the largest data: URI payload.
 */
final class WorstRecords {

    /** One record to decode. */
    record Case(String name, byte[] bytes) {}

    static final int MAX_RECORD_BYTES = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorstRecords() {
    }

    static List<Case> all() {
        return List.of(
                new Case("typical valid job (reference)", JobRecords.value("decode-typical")),
                new Case("nesting refused: 500,000 levels of arrays", utf8("[".repeat(500_000) + "]".repeat(500_000))),
                new Case("a 1,000-digit number in priority", typical(job -> job.putRawValue("priority", new RawValue("9".repeat(1_000))))),
                new Case("10,000 unknown input fields", typical(job -> {
                    ObjectNode input = (ObjectNode) job.get("input");
                    for (int i = 0; i < 10_000; i++) {
                        input.put("extra-" + i, i);
                    }
                })),
                new Case("10,000 unknown top-level fields", typical(job -> {
                    for (int i = 0; i < 10_000; i++) {
                        job.put("extra-" + i, i);
                    }
                })),
                new Case("a prompt filling the record to 1,000,000 bytes", exactly(MAX_RECORD_BYTES, (job, filler) ->
                        ((ObjectNode) job.get("input")).put("prompt", filler))),
                new Case("a data: URI of 700,000 bytes (the largest allowed)", typical(job ->
                        ((ObjectNode) job.get("input")).put("referencePhoto", "data:image/png;base64," + base64Zeros(700_000)))),
                new Case("invalid UTF-8 in the last byte of 1,000,000", invalidLastByte(MAX_RECORD_BYTES)),
                new Case("1,048,000 bytes, over the limit, jobId last (streamed to find it)", jobIdLast(1_048_000)));
    }

    private interface Change {
        void apply(ObjectNode job);
    }

    private interface Fill {
        void apply(ObjectNode job, String filler);
    }

    private static byte[] typical(Change change) {
        ObjectNode job = parse(JobRecords.value("decode-worst"));
        change.apply(job);
        return bytes(job);
    }

    /** A job whose filler string (ASCII) makes the record exactly {@code size} bytes. */
    private static byte[] exactly(int size, Fill fill) {
        ObjectNode job = parse(JobRecords.value("decode-worst"));
        fill.apply(job, "");
        int missing = size - bytes(job).length;
        fill.apply(job, "x".repeat(missing));
        byte[] bytes = bytes(job);
        if (bytes.length != size) {
            throw new IllegalStateException("built " + bytes.length + " bytes, not " + size);
        }
        return bytes;
    }

    /** Over the size limit the codec only looks for the top-level jobId: here it has to stream past the padding. */
    private static byte[] jobIdLast(int size) {
        ObjectNode job = parse(JobRecords.value("decode-worst"));
        String jobId = job.remove("jobId").textValue();
        job.put("pad", "");
        job.put("jobId", jobId);
        int missing = size - bytes(job).length;
        job.put("pad", "x".repeat(missing));
        byte[] bytes = bytes(job);
        if (bytes.length != size) {
            throw new IllegalStateException("built " + bytes.length + " bytes, not " + size);
        }
        return bytes;
    }

    private static byte[] invalidLastByte(int size) {
        byte[] valid = exactly(size - 1, (job, filler) -> job.put("pad", filler));
        byte[] bytes = Arrays.copyOf(valid, size);
        bytes[size - 1] = (byte) 0xFF;
        return bytes;
    }

    private static String base64Zeros(int decodedBytes) {
        int padding = (3 - decodedBytes % 3) % 3;
        return "A".repeat((decodedBytes + 2) / 3 * 4 - padding) + "=".repeat(padding);
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the typical job is JSON", e);
        }
    }

    private static byte[] bytes(ObjectNode job) {
        try {
            return JSON.writeValueAsBytes(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
