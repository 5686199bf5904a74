package dev.troupe.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/** The one configured Jackson mapper of the model module, and the wording of JSON types in messages. */
final class Json {

    /**
     * Deepest nesting read. A job is three levels deep (record, input or metadata, value); a hostile
     * record nested thousands of levels deep is refused by the parser before it builds a tree.
     */
    static final int MAX_NESTING_DEPTH = 32;
    /** Longest number read: a job has no number wider than a priority or a duration. */
    static final int MAX_NUMBER_LENGTH = 100;

    /**
     * Duplicate keys are refused (two {@code jobId}s would make the record mean two things) and so is
     * trailing content after the document. Nesting and number length are bounded (see above); string
     * and name lengths are bounded by the record size limit.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            // An emoji is written as its 4 UTF-8 bytes, not as two 6-byte \\u escapes: a result echoing
            // 64 metadata values of 2,048 emoji was otherwise three times the size of its job.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** "a string", "an integer", ... for messages such as "must be a boolean, got a string". */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        JsonNodeType type = node.getNodeType();
        return switch (type) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    /**
     * What a message says was found instead, showing the value once: {@code 3.5}, {@code true},
     * {@code a string "five"} (so that {@code "5"} is not mistaken for {@code 5}), or the type of an
     * object, array or null. The value is bounded as a violation's value is, so that a renderer that
     * appends the value when a message does not show it (see {@link Violation#text()}) finds it here.
     */
    static String got(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            return describe(node);
        }
        String shown = Violation.display(shown(node));
        return node.isTextual() ? "a string \"" + shown + "\"" : shown;
    }

    /** The value shown in a violation: the text of a string, the JSON of anything else. */
    static Object shown(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }
}
