package dev.troupe.givon;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.troupe.givon.GenerationStatus.Phase;
import dev.troupe.model.Tokens;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Givon's undocumented answers defensively: every field is looked up under the names seen
 * or plausible (see givon-api.md), the first usable one wins. Decimals stay exact; every number is
 * range-checked and every text bounded and redacted ({@link GivonText}) before it leaves.
 */
final class ResponseReader {

    /**
     * The largest cost believed for one generation: a Kling 3.0 Motion job costs 21 to 105 tokens and
     * no catalog model comes near a million, so a larger figure is not a cost but an unclear answer
     * (the caller then accounts its own estimate). It also keeps every later sum far from overflow.
     */
    static final Tokens MAX_REPORTED_COST = Tokens.of(1_000_000);
    /** What a generation id may look like: the simulator's {@code gen_1_44izyv7n}, a UUID, a ULID, {@code ns:123}. */
    static final Pattern USABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int MAX_CODE_CHARS = 64;

    // Jackson's default read constraints (nesting depth, number and string length) stay on: they bound
    // the work any body can cause, and the body itself is bounded by GivonHttp.
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
    private static final List<JsonPointer> ERROR_CODE = pointers("/code", "/error/code", "/error_code", "/data/code");

    private static final Set<String> SUCCEEDED = Set.of("succeeded", "completed", "success", "done");
    private static final Set<String> FAILED = Set.of("failed", "error", "canceled", "cancelled", "rejected",
            "moderated", "expired");

    private final GivonText text;

    ResponseReader(GivonText text) {
        this.text = text;
    }

    /** The body as a JSON tree, or empty when it is missing, not JSON, or beyond Jackson's read limits. */
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

    /** The first id found under a known name, as sent (unchecked: see {@link #isUsableId}). */
    static Optional<String> generationId(JsonNode body) {
        for (JsonPointer pointer : ID) {
            JsonNode node = body.at(pointer);
            if ((node.isTextual() || node.isIntegralNumber()) && !node.asText().isBlank()) {
                return Optional.of(node.asText());
            }
        }
        return Optional.empty();
    }

    static boolean isUsableId(String id) {
        return id.length() <= 128 && USABLE_ID.matcher(id).matches();
    }

    /** The normalised status; {@code generationId} is the id the caller asked about (or got back). */
    GenerationStatus status(String generationId, JsonNode body) {
        String raw = text(body, STATUS).orElse(null);
        Phase phase = phase(raw);
        String reason = phase == Phase.FAILED ? message(body).map(text::failureReason).orElse(null) : null;
        return new GenerationStatus(generationId, phase, text.statusWord(raw), videoUrl(body), reason, cost(body));
    }

    /** Case-insensitive; anything not known to be terminal (including null and over-long words) is RUNNING. */
    static Phase phase(String raw) {
        if (raw == null || raw.length() > GivonText.MAX_STATUS_WORD_CHARS) {
            return Phase.RUNNING;
        }
        String word = raw.trim().toLowerCase(Locale.ROOT);
        if (SUCCEEDED.contains(word)) {
            return Phase.SUCCEEDED;
        }
        return FAILED.contains(word) ? Phase.FAILED : Phase.RUNNING;
    }

    /**
     * A cost given as a JSON number or a decimal string, exact, in [0, {@link #MAX_REPORTED_COST}];
     * empty when absent or when no field holds such an amount. Magnitude is checked before any
     * expansion, so {@code 1e1000000} is refused in microseconds.
     */
    static Optional<Tokens> cost(JsonNode body) {
        for (JsonPointer pointer : COST) {
            JsonNode node = body.at(pointer);
            try {
                Tokens cost;
                if (node.isNumber()) {
                    BigDecimal value = node.decimalValue();
                    cost = Tokens.fromDecimal(value);
                } else if (node.isTextual() && !node.asText().isBlank()) {
                    cost = Tokens.parse(node.asText());
                } else {
                    continue;
                }
                if (!cost.isNegative() && !cost.exceeds(MAX_REPORTED_COST)) {
                    return Optional.of(cost);
                }
            } catch (IllegalArgumentException e) {
                // "n/a", more than three decimals, 1e1000000: not a cost we can account; try the next name.
            }
        }
        return Optional.empty();
    }

    /** Givon's explanation in an error or failure body, as sent (the caller bounds it). */
    static Optional<String> message(JsonNode body) {
        if (body.isTextual()) {
            return Optional.of(body.asText()).filter(s -> !s.isBlank());
        }
        return text(body, MESSAGE);
    }

    /** A structured error code ({@code 1102}, {@code "insufficient_credits"}), as a trimmed string. */
    static Optional<String> errorCode(JsonNode body) {
        for (JsonPointer pointer : ERROR_CODE) {
            JsonNode node = body.at(pointer);
            if ((node.isTextual() || node.isIntegralNumber()) && node.asText().length() <= MAX_CODE_CHARS
                    && !node.asText().isBlank()) {
                return Optional.of(node.asText().trim());
            }
        }
        return Optional.empty();
    }

    /**
     * Violation texts of a validation answer ({@code input.duration: must be ...}), bounded and
     * redacted; empty when it lists none.
     */
    List<String> violations(JsonNode body) {
        Optional<JsonNode> list = first(body, VIOLATIONS).filter(JsonNode::isArray);
        if (list.isEmpty()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode item : list.get()) {
            if (texts.size() == GivonText.MAX_VIOLATIONS) {
                break;
            }
            if (item.isTextual()) {
                texts.add(item.asText());
            } else if (item.isObject()) {
                String path = firstText(item, "path", "field", "loc", "name");
                String message = firstText(item, "message", "msg", "rule", "description");
                String value = firstText(item, "value");
                String violation = Stream.of(path, message).filter(s -> s != null && !s.isBlank())
                        .reduce((a, b) -> a + ": " + b).orElse(item.toString());
                // A message that already shows the value ("..., got 99") is not followed by "(got 99)" again.
                texts.add(value == null || violation.contains(value) ? violation : violation + " (got " + value + ")");
            }
        }
        return text.violations(texts, list.get().size());
    }

    private String videoUrl(JsonNode body) {
        for (JsonPointer pointer : VIDEO_URL) {
            JsonNode node = body.at(pointer);
            if (node.isTextual()) {
                String url = text.videoUrl(node.asText());
                if (url != null) {
                    return url;
                }
            }
        }
        return null;
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
