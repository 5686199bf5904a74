package dev.troupe.givon;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.troupe.givon.GenerationStatus.Phase;
import dev.troupe.model.Tokens;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads Givon's undocumented answers defensively: every field is looked up under the names seen
 * or plausible (see givon-api.md), the first non-empty one wins. Decimals stay exact.
 */
final class ResponseReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final List<JsonPointer> ID = pointers("/id", "/generationId", "/generation_id", "/data/id",
            "/data/generationId", "/generation/id");
    private static final List<JsonPointer> STATUS = pointers("/status", "/state", "/data/status", "/data/state",
            "/generation/status");
    private static final List<JsonPointer> VIDEO_URL = pointers("/videoUrl", "/video_url", "/url",
            "/output/url", "/output/videoUrl", "/output/video_url", "/output/0", "/output/0/url", "/output",
            "/outputs/0", "/outputs/0/url", "/result/url", "/result/videoUrl", "/result/video_url",
            "/video/url", "/videos/0", "/videos/0/url",
            "/data/videoUrl", "/data/video_url", "/data/url", "/data/output/url", "/data/output/0", "/data/output");
    private static final List<JsonPointer> COST = pointers("/cost", "/costTokens", "/cost_tokens", "/credits",
            "/data/cost", "/data/costTokens", "/data/credits");
    private static final List<JsonPointer> MESSAGE = pointers("/error/message", "/error", "/message",
            "/failureReason", "/failure_reason", "/reason", "/detail", "/data/error/message", "/data/error",
            "/data/failureReason");
    private static final List<JsonPointer> VIOLATIONS = pointers("/violations", "/errors", "/details",
            "/error/violations", "/error/details", "/error/errors");

    private static final Set<String> SUCCEEDED = Set.of("succeeded", "completed", "success", "done");
    private static final Set<String> FAILED = Set.of("failed", "error", "canceled", "cancelled", "rejected",
            "moderated", "expired");

    private ResponseReader() {
    }

    /** The body as a JSON tree, or empty when it is missing or not JSON. */
    static Optional<JsonNode> tree(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> generationId(JsonNode body) {
        for (JsonPointer pointer : ID) {
            JsonNode node = body.at(pointer);
            if ((node.isTextual() || node.isIntegralNumber()) && !node.asText().isBlank()) {
                return Optional.of(node.asText());
            }
        }
        return Optional.empty();
    }

    /** The normalised status; {@code generationId} is the id the caller asked about (or got back). */
    static GenerationStatus status(String generationId, JsonNode body) {
        String raw = text(body, STATUS).orElse(null);
        Phase phase = phase(raw);
        String reason = phase == Phase.FAILED ? message(body).orElse(null) : null;
        return new GenerationStatus(generationId, phase, raw, text(body, VIDEO_URL).orElse(null), reason, cost(body));
    }

    /** Case-insensitive; anything not known to be terminal (including null) is RUNNING. */
    static Phase phase(String raw) {
        if (raw == null) {
            return Phase.RUNNING;
        }
        String word = raw.trim().toLowerCase(Locale.ROOT);
        if (SUCCEEDED.contains(word)) {
            return Phase.SUCCEEDED;
        }
        return FAILED.contains(word) ? Phase.FAILED : Phase.RUNNING;
    }

    /** A cost given as a JSON number or a decimal string, exact; empty when absent or unreadable. */
    static Optional<Tokens> cost(JsonNode body) {
        for (JsonPointer pointer : COST) {
            JsonNode node = body.at(pointer);
            String decimal = node.isNumber() ? node.decimalValue().toPlainString()
                    : node.isTextual() ? node.asText().trim() : null;
            if (decimal == null || decimal.isEmpty()) {
                continue;
            }
            try {
                return Optional.of(Tokens.parse(decimal));
            } catch (IllegalArgumentException e) {
                // e.g. "n/a" or more than three decimals: not a cost we can account exactly; try the next name.
            }
        }
        return Optional.empty();
    }

    /** Givon's explanation in an error or failure body. */
    static Optional<String> message(JsonNode body) {
        if (body.isTextual()) {
            return Optional.of(body.asText()).filter(s -> !s.isBlank());
        }
        return text(body, MESSAGE);
    }

    /** Violation texts of a validation answer ({@code input.duration: must be ...}), empty when it lists none. */
    static List<String> violations(JsonNode body) {
        List<String> texts = new ArrayList<>();
        first(body, VIOLATIONS).filter(JsonNode::isArray).ifPresent(items -> items.forEach(item -> {
            if (item.isTextual()) {
                texts.add(item.asText());
            } else if (item.isObject()) {
                String path = firstText(item, "path", "field", "loc", "name");
                String message = firstText(item, "message", "msg", "rule", "description");
                String value = firstText(item, "value");
                String text = Stream.of(path, message).filter(s -> s != null && !s.isBlank())
                        .reduce((a, b) -> a + ": " + b).orElse(item.toString());
                texts.add(value == null ? text : text + " (got " + value + ")");
            }
        }));
        return texts;
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && (value.isValueNode() && !value.isNull())) {
                return value.asText();
            }
            if (value != null && value.isArray()) {
                return value.toString();
            }
        }
        return null;
    }

    private static Optional<String> text(JsonNode body, List<JsonPointer> pointers) {
        for (JsonPointer pointer : pointers) {
            JsonNode node = body.at(pointer);
            if (node.isTextual() && !node.asText().isBlank()) {
                return Optional.of(node.asText());
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> first(JsonNode body, List<JsonPointer> pointers) {
        return pointers.stream().map(body::at).filter(n -> !n.isMissingNode() && !n.isNull()).findFirst();
    }

    private static List<JsonPointer> pointers(String... expressions) {
        return Stream.of(expressions).map(JsonPointer::compile).toList();
    }
}
