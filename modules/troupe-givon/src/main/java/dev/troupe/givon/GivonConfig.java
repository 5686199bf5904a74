package dev.troupe.givon;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How to reach Givon. Everything Givon does not document (status path, timeouts, polling pace, what
 * its error answers mean) lives here, with a default and a validation rule that names the field.
 *
 * @param baseUrl               scheme, host and optional port (and path prefix) of the API, default {@value #DEFAULT_BASE_URL}
 * @param submitPath            POST path, default {@value #DEFAULT_SUBMIT_PATH}
 * @param statusPath            GET path template with an {@code {id}} placeholder, default {@value #DEFAULT_STATUS_PATH}
 * @param apiKey                the bearer key (required, never printed)
 * @param connectTimeout        longest wait for a connection (pool slot plus TCP connect), default 5 s
 * @param responseTimeout       longest silence after a request was written until the answer's status line
 *                              and headers arrive, default 30 s
 * @param requestTimeout        longest a whole request may take, from the call until the last byte of the
 *                              answer (pool wait, connect, sending, waiting, reading a slow body), default
 *                              60 s; then its connection is closed and it fails (a submission as
 *                              {@link GivonError.Uncertain} when it may have been written). Must be at least
 *                              {@code responseTimeout} and {@code connectTimeout}, each of which bounds one part
 *                              of it. A status read during {@code follow} also ends at the follow's deadline
 * @param maxPoolSize           HTTP/1.1 connections kept to Givon, default 50
 * @param pollBackoff           status polling pace, default 5 s growing by 2.0 to 30 s with full jitter
 * @param pollStart             where status reads start: near a start learned per model, within [1 s, 5 min]
 *                              by default (see {@link PollStart}), or at once
 * @param defaultFollowDeadline how long a generation is followed before giving up (the worker counts it from
 *                              Givon's acceptance), default 30 min
 * @param defaultRetryAfter     wait assumed for a 429 without a readable {@code Retry-After}, default 5 s; within
 *                              [{@code minRetryAfter}, {@code maxRetryAfter}]
 * @param minRetryAfter         shortest wait any {@code Retry-After} may ask for (0, a past date and anything
 *                              shorter become this), default 1 s; must be > 0
 * @param maxRetryAfter         longest wait any {@code Retry-After} may ask for (a huge value becomes this),
 *                              default 5 min; must be >= {@code minRetryAfter}
 * @param idempotency           whether Givon is trusted to honour {@code Idempotency-Key}, default
 *                              {@link Idempotency#UNTRUSTED}
 * @param outOfCreditStatuses   HTTP statuses that mean the account cannot pay, default {402}; each a 4xx other
 *                              than 401, 403 and 429 (429 is a rate limit unless its code says otherwise)
 * @param outOfCreditCodes      structured error codes (read from {@code code}, {@code error.code},
 *                              {@code error_code} or {@code data.code} of a 4xx answer) that mean the account
 *                              cannot pay, default {"1101", "1102"} (Kling's official API answers out-of-credit
 *                              as a 429 with these)
 * @param concurrencyLimitCodes structured error codes of a 4xx answer that mean the account's concurrency limit
 *                              was hit (a rate limit), default {"1303"} (Kling's); disjoint from
 *                              {@code outOfCreditCodes}
 * @param userAgent             {@code User-Agent} header, default {@value #DEFAULT_USER_AGENT}
 */
public record GivonConfig(
        String baseUrl,
        String submitPath,
        String statusPath,
        ApiKey apiKey,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration requestTimeout,
        int maxPoolSize,
        PollBackoff pollBackoff,
        PollStart pollStart,
        Duration defaultFollowDeadline,
        Duration defaultRetryAfter,
        Duration minRetryAfter,
        Duration maxRetryAfter,
        Idempotency idempotency,
        Set<Integer> outOfCreditStatuses,
        Set<String> outOfCreditCodes,
        Set<String> concurrencyLimitCodes,
        String userAgent) {

    public static final String DEFAULT_BASE_URL = "https://api.givon.ai";
    public static final String DEFAULT_SUBMIT_PATH = "/api/v1/generations";
    public static final String DEFAULT_STATUS_PATH = "/api/v1/generations/{id}";
    public static final String DEFAULT_USER_AGENT = "troupe-givon/0.1";
    static final String ID_PLACEHOLDER = "{id}";
    private static final int MAX_CODE_CHARS = 64;

    /**
     * Whether Givon may be trusted with {@code Idempotency-Key} (it does not document the header). The
     * client always sends the key and never resubmits by itself; this tells the caller what it may do
     * with a submission whose outcome is {@link GivonError.Uncertain}.
     */
    public enum Idempotency {
        /**
         * Givon is assumed to honour {@code Idempotency-Key}: the worker may resubmit an uncertain job with
         * the same key and get the generation Givon already holds, not a second one.
         */
        TRUSTED,
        /**
         * Nothing is assumed: the worker never sends a second POST for a job Givon may hold; an uncertain
         * submission ends the job with the facts instead.
         */
        UNTRUSTED
    }

    public GivonConfig {
        baseUrl = validBaseUrl(baseUrl);
        submitPath = validPath("submitPath", submitPath);
        statusPath = validPath("statusPath", statusPath);
        if (!statusPath.contains(ID_PLACEHOLDER)) {
            throw new IllegalArgumentException("statusPath must contain the placeholder " + ID_PLACEHOLDER + ", got '" + statusPath + "'");
        }
        if (apiKey == null) {
            throw new IllegalArgumentException("apiKey is required");
        }
        positive("connectTimeout", connectTimeout);
        positive("responseTimeout", responseTimeout);
        positive("requestTimeout", requestTimeout);
        if (requestTimeout.compareTo(responseTimeout) < 0 || requestTimeout.compareTo(connectTimeout) < 0) {
            throw new IllegalArgumentException("requestTimeout must be >= responseTimeout (" + responseTimeout
                    + ") and >= connectTimeout (" + connectTimeout + "), got " + requestTimeout);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be >= 1, got " + maxPoolSize);
        }
        Objects.requireNonNull(pollBackoff, "pollBackoff");
        Objects.requireNonNull(pollStart, "pollStart");
        positive("defaultFollowDeadline", defaultFollowDeadline);
        positive("minRetryAfter", minRetryAfter);
        if (maxRetryAfter == null || maxRetryAfter.compareTo(minRetryAfter) < 0) {
            throw new IllegalArgumentException("maxRetryAfter must be >= minRetryAfter (" + minRetryAfter + "), got " + maxRetryAfter);
        }
        if (defaultRetryAfter == null || defaultRetryAfter.compareTo(minRetryAfter) < 0 || defaultRetryAfter.compareTo(maxRetryAfter) > 0) {
            throw new IllegalArgumentException("defaultRetryAfter must lie in [minRetryAfter, maxRetryAfter] ("
                    + minRetryAfter + ", " + maxRetryAfter + "), got " + defaultRetryAfter);
        }
        if (idempotency == null) {
            throw new IllegalArgumentException("idempotency must be trusted or untrusted");
        }
        outOfCreditStatuses = validStatuses(outOfCreditStatuses);
        outOfCreditCodes = validCodes("outOfCreditCodes", outOfCreditCodes);
        concurrencyLimitCodes = validCodes("concurrencyLimitCodes", concurrencyLimitCodes);
        for (String code : concurrencyLimitCodes) {
            if (outOfCreditCodes.contains(code)) {
                throw new IllegalArgumentException("concurrencyLimitCodes must not repeat a code of outOfCreditCodes, got '" + code + "' in both");
            }
        }
        if (userAgent == null || userAgent.isBlank()) {
            throw new IllegalArgumentException("userAgent must not be blank");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .baseUrl(baseUrl).submitPath(submitPath).statusPath(statusPath).apiKey(apiKey)
                .connectTimeout(connectTimeout).responseTimeout(responseTimeout).requestTimeout(requestTimeout)
                .maxPoolSize(maxPoolSize).pollBackoff(pollBackoff).pollStart(pollStart).defaultFollowDeadline(defaultFollowDeadline)
                .defaultRetryAfter(defaultRetryAfter).minRetryAfter(minRetryAfter).maxRetryAfter(maxRetryAfter)
                .idempotency(idempotency).outOfCreditStatuses(outOfCreditStatuses).outOfCreditCodes(outOfCreditCodes)
                .concurrencyLimitCodes(concurrencyLimitCodes).userAgent(userAgent);
    }

    String submitUrl() {
        return baseUrl + submitPath;
    }

    String statusUrl(String encodedId) {
        return baseUrl + statusPath.replace(ID_PLACEHOLDER, encodedId);
    }

    private static String validBaseUrl(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("baseUrl must not be blank");
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, got '" + value + "': " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL with a host, got '" + value + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not carry user info, a query or a fragment, got scheme://" + uri.getHost() + "...");
        }
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String validPath(String field, String value) {
        if (value == null || !value.startsWith("/") || value.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
            throw new IllegalArgumentException(field + " must start with '/' and contain no spaces, query or fragment, got '" + value + "'");
        }
        return value;
    }

    private static Set<Integer> validStatuses(Set<Integer> statuses) {
        if (statuses == null) {
            throw new IllegalArgumentException("outOfCreditStatuses must be set (it may be empty)");
        }
        for (Integer status : statuses) {
            if (status == null || status < 400 || status > 499 || status == 401 || status == 403 || status == 429) {
                throw new IllegalArgumentException("outOfCreditStatuses must hold 4xx statuses other than 401, 403 and 429"
                        + " (use outOfCreditCodes for a 429 that means out of credit), got " + status);
            }
        }
        return Set.copyOf(statuses);
    }

    private static Set<String> validCodes(String field, Set<String> codes) {
        if (codes == null) {
            throw new IllegalArgumentException(field + " must be set (it may be empty)");
        }
        for (String code : codes) {
            if (code == null || code.isBlank() || code.length() > MAX_CODE_CHARS || code.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException(field + " must hold codes of 1 to " + MAX_CODE_CHARS
                        + " characters without spaces, got '" + code + "'");
            }
        }
        return Set.copyOf(codes);
    }

    private static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }

    /** Mutable builder starting from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private String submitPath = DEFAULT_SUBMIT_PATH;
        private String statusPath = DEFAULT_STATUS_PATH;
        private ApiKey apiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration responseTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxPoolSize = 50;
        private PollBackoff pollBackoff = PollBackoff.DEFAULT;
        private PollStart pollStart = PollStart.DEFAULT;
        private Duration defaultFollowDeadline = Duration.ofMinutes(30);
        private Duration defaultRetryAfter = Duration.ofSeconds(5);
        private Duration minRetryAfter = Duration.ofSeconds(1);
        private Duration maxRetryAfter = Duration.ofMinutes(5);
        private Idempotency idempotency = Idempotency.UNTRUSTED;
        private Set<Integer> outOfCreditStatuses = Set.of(402);
        private Set<String> outOfCreditCodes = Set.of("1101", "1102");
        private Set<String> concurrencyLimitCodes = Set.of("1303");
        private String userAgent = DEFAULT_USER_AGENT;

        private Builder() {
        }

        public Builder baseUrl(String value) { baseUrl = value; return this; }
        public Builder submitPath(String value) { submitPath = value; return this; }
        public Builder statusPath(String value) { statusPath = value; return this; }
        public Builder apiKey(ApiKey value) { apiKey = value; return this; }
        public Builder apiKey(String value) { apiKey = ApiKey.of(value); return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
        public Builder responseTimeout(Duration value) { responseTimeout = value; return this; }
        public Builder requestTimeout(Duration value) { requestTimeout = value; return this; }
        public Builder maxPoolSize(int value) { maxPoolSize = value; return this; }
        public Builder pollBackoff(PollBackoff value) { pollBackoff = value; return this; }
        public Builder pollStart(PollStart value) { pollStart = value; return this; }
        public Builder defaultFollowDeadline(Duration value) { defaultFollowDeadline = value; return this; }
        public Builder defaultRetryAfter(Duration value) { defaultRetryAfter = value; return this; }
        public Builder minRetryAfter(Duration value) { minRetryAfter = value; return this; }
        public Builder maxRetryAfter(Duration value) { maxRetryAfter = value; return this; }
        public Builder idempotency(Idempotency value) { idempotency = value; return this; }
        public Builder outOfCreditStatuses(Collection<Integer> value) { outOfCreditStatuses = copy(value); return this; }
        public Builder outOfCreditCodes(Collection<String> value) { outOfCreditCodes = copy(value); return this; }
        public Builder concurrencyLimitCodes(Collection<String> value) { concurrencyLimitCodes = copy(value); return this; }
        public Builder userAgent(String value) { userAgent = value; return this; }

        public GivonConfig build() {
            return new GivonConfig(baseUrl, submitPath, statusPath, apiKey, connectTimeout, responseTimeout,
                    requestTimeout, maxPoolSize, pollBackoff, pollStart, defaultFollowDeadline, defaultRetryAfter, minRetryAfter,
                    maxRetryAfter, idempotency, outOfCreditStatuses, outOfCreditCodes, concurrencyLimitCodes, userAgent);
        }

        /** Null stays null (the constructor names the field); nulls inside are kept for it to refuse. */
        private static <T> Set<T> copy(Collection<T> values) {
            return values == null ? null : new LinkedHashSet<>(values);
        }
    }
}
