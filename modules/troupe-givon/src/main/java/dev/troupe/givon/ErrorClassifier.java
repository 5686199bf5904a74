package dev.troupe.givon;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a non-2xx Givon answer into a {@link GivonError}, following the assumptions of
 * givon-api.md: 408/5xx transient, 429 rate limited, 402 (or talk of credits) out of tokens,
 * 401/403 configuration, 400/422 invalid, 404 unknown generation.
 */
final class ErrorClassifier {

    private static final Pattern OUT_OF_TOKENS = Pattern.compile(
            "\\b(credits?|tokens?|balance|insufficient)\\b", Pattern.CASE_INSENSITIVE);
    private static final int MAX_MESSAGE_CHARS = 500;

    private final ApiKey apiKey;
    private final Clock clock;
    private final Duration defaultRetryAfter;

    ErrorClassifier(ApiKey apiKey, Clock clock, Duration defaultRetryAfter) {
        this.apiKey = apiKey;
        this.clock = clock;
        this.defaultRetryAfter = defaultRetryAfter;
    }

    /**
     * @param generationId the generation asked about, or null for a submission
     */
    GivonError classify(int status, String retryAfterHeader, String body, String generationId) {
        Optional<JsonNode> tree = ResponseReader.tree(body);
        String message = message(status, body, tree);
        if (status == 401 || status == 403) {
            return new GivonError.Unauthorized(status, message);
        }
        if (status == 402) {
            return new GivonError.OutOfTokens(message);
        }
        if (status == 429) {
            return new GivonError.RateLimited(RetryAfter.parse(retryAfterHeader, clock).orElse(defaultRetryAfter));
        }
        if (status == 408 || (status >= 500 && status <= 599)) {
            return new GivonError.Retryable(status, message);
        }
        if (status == 404 && generationId != null) {
            return new GivonError.NotFound(generationId);
        }
        if (status >= 400 && status <= 499) {
            List<String> violations = tree.map(ResponseReader::violations).orElse(List.of());
            // A validation answer listing its violations is about the input, whatever words it uses.
            if (violations.isEmpty() && OUT_OF_TOKENS.matcher(message).find()) {
                return new GivonError.OutOfTokens(message);
            }
            if (status == 400 || status == 422) {
                return new GivonError.InvalidRequest(status, violations.isEmpty()
                        ? message : clip(message + " [" + String.join("; ", violations) + "]"));
            }
            if (status == 404) {
                return new GivonError.UnexpectedResponse(status, "submit path not found (check submitPath): " + message);
            }
        }
        return new GivonError.UnexpectedResponse(status, message);
    }

    /** Givon's own words when the body has them, else the body itself, shortened and without the key. */
    String message(int status, String body, Optional<JsonNode> tree) {
        String text = tree.flatMap(ResponseReader::message)
                .orElse(body == null || body.isBlank() ? "HTTP " + status + " with an empty body" : body.strip());
        return clip(apiKey.redact(text));
    }

    private static String clip(String text) {
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
