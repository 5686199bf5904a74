package dev.troupe.givon;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a non-2xx Givon answer into a {@link GivonError}. No rule reads the words of a message:
 * money and retries are decided by HTTP statuses and structured error codes, kept as data in
 * {@link GivonConfig} (a 422 "reference photo resolution is insufficient" is an invalid request,
 * not an empty account).
 *
 * <p>For either call: 401/403 refuse the key; a 4xx whose code is an out-of-credit code, or a
 * configured out-of-credit status (402), means the account cannot pay; a 4xx whose code is a
 * concurrency-limit code, or any 429, is a rate limit. Then a submission keeps only the answers
 * that prove nothing was created (see {@link GivonError}) and is {@link GivonError.Uncertain}
 * otherwise, while a status read treats 408/5xx as transient and 404 as an unknown generation.
 */
final class ErrorClassifier {

    private final GivonText text;
    private final ResponseReader reader;
    private final Clock clock;
    private final Duration defaultRetryAfter;
    private final Duration minRetryAfter;
    private final Duration maxRetryAfter;
    private final Set<Integer> outOfCreditStatuses;
    private final Set<String> outOfCreditCodes;
    private final Set<String> concurrencyLimitCodes;

    ErrorClassifier(GivonConfig config, Clock clock) {
        this.text = new GivonText(config.apiKey());
        this.reader = new ResponseReader(text);
        this.clock = clock;
        this.defaultRetryAfter = config.defaultRetryAfter();
        this.minRetryAfter = config.minRetryAfter();
        this.maxRetryAfter = config.maxRetryAfter();
        this.outOfCreditStatuses = config.outOfCreditStatuses();
        this.outOfCreditCodes = config.outOfCreditCodes();
        this.concurrencyLimitCodes = config.concurrencyLimitCodes();
    }

    /** A non-2xx answer to a submission. */
    GivonError classifySubmission(int status, String retryAfterHeader, String body) {
        Optional<JsonNode> tree = ResponseReader.tree(body);
        String message = message(status, body, tree);
        Optional<GivonError> common = common(status, retryAfterHeader, message, tree);
        if (common.isPresent()) {
            return common.get();
        }
        if (status == 503 && retryAfterHeader != null && !retryAfterHeader.isBlank()) {
            // "Come back later": a server that says when to return has refused the work, not lost it.
            return new GivonError.Retryable(503, message);
        }
        if (status == 400 || status == 402 || status == 415 || status == 422) {
            return invalid(status, message, tree);
        }
        if (status == 404) {
            return new GivonError.UnexpectedResponse(404, "submit path not found (check submitPath): " + message);
        }
        // 500, 502, 504, 503 without Retry-After, 408, 3xx, 1xx, any other 4xx or status: the request
        // reached something that may have passed it on; Givon may hold (and charge) a generation.
        return new GivonError.Uncertain(status, "Givon answered " + status
                + ", which does not prove that nothing was created: " + message);
    }

    /** A non-2xx answer to a status read of {@code generationId}. */
    GivonError classifyStatusRead(int status, String retryAfterHeader, String body, String generationId) {
        Optional<JsonNode> tree = ResponseReader.tree(body);
        String message = message(status, body, tree);
        Optional<GivonError> common = common(status, retryAfterHeader, message, tree);
        if (common.isPresent()) {
            return common.get();
        }
        if (status == 408 || (status >= 500 && status <= 599)) {
            return new GivonError.Retryable(status, message);
        }
        if (status == 404) {
            return new GivonError.NotFound(generationId);
        }
        if (status == 400 || status == 422) {
            return invalid(status, message, tree);
        }
        return new GivonError.UnexpectedResponse(status, message);
    }

    /** Key refused, out of credit, rate limited: the same for both calls, and never a creation. */
    private Optional<GivonError> common(int status, String retryAfterHeader, String message, Optional<JsonNode> tree) {
        if (status == 401 || status == 403) {
            return Optional.of(new GivonError.Unauthorized(status, message));
        }
        Optional<String> code = status >= 400 && status <= 499 ? tree.flatMap(ResponseReader::errorCode) : Optional.empty();
        if (code.isPresent() && outOfCreditCodes.contains(code.get())) {
            return Optional.of(new GivonError.OutOfTokens(text.message("code " + code.get() + ": " + message)));
        }
        if (code.isPresent() && concurrencyLimitCodes.contains(code.get())) {
            return Optional.of(rateLimited(retryAfterHeader));
        }
        if (outOfCreditStatuses.contains(status)) {
            return Optional.of(new GivonError.OutOfTokens(message));
        }
        if (status == 429) {
            return Optional.of(rateLimited(retryAfterHeader));
        }
        return Optional.empty();
    }

    private GivonError rateLimited(String retryAfterHeader) {
        return new GivonError.RateLimited(RetryAfter.parse(retryAfterHeader, clock, minRetryAfter, maxRetryAfter)
                .orElse(defaultRetryAfter));
    }

    private GivonError invalid(int status, String message, Optional<JsonNode> tree) {
        List<String> violations = tree.map(reader::violations).orElse(List.of());
        return new GivonError.InvalidRequest(status, violations.isEmpty()
                ? message : message + " [" + String.join("; ", violations) + "]");
    }

    /** Givon's own words when the body has them, else the body itself; redacted and bounded. */
    String message(int status, String body, Optional<JsonNode> tree) {
        String words = tree.flatMap(ResponseReader::message)
                .orElse(body == null || body.isBlank() ? "HTTP " + status + " with an empty body" : body.strip());
        return text.message(words);
    }

    GivonText text() {
        return text;
    }

    ResponseReader reader() {
        return reader;
    }
}
