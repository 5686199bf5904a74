package dev.troupe.givon;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Givon. Everything Givon does not document (status path, timeouts, polling pace)
 * lives here, with a default and a validation rule that names the field.
 *
 * @param baseUrl               scheme, host and optional port (and path prefix) of the API, default {@value #DEFAULT_BASE_URL}
 * @param submitPath            POST path, default {@value #DEFAULT_SUBMIT_PATH}
 * @param statusPath            GET path template with an {@code {id}} placeholder, default {@value #DEFAULT_STATUS_PATH}
 * @param apiKey                the bearer key (required, never printed)
 * @param connectTimeout        longest wait for a connection (pool slot plus TCP connect), default 5 s
 * @param responseTimeout       longest silence after a request was written before giving up on it, default 30 s
 * @param maxPoolSize           HTTP/1.1 connections kept to Givon, default 50
 * @param pollBackoff           status polling pace, default 5 s growing by 2.0 to 30 s with full jitter
 * @param defaultFollowDeadline how long a generation is followed before giving up (the worker counts it from
 *                              Givon's acceptance), default 30 min
 * @param defaultRetryAfter     wait assumed for a 429 without a readable {@code Retry-After}, default 5 s
 * @param userAgent             {@code User-Agent} header, default {@value #DEFAULT_USER_AGENT}
 */
public record GivonConfig(
        String baseUrl,
        String submitPath,
        String statusPath,
        ApiKey apiKey,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxPoolSize,
        PollBackoff pollBackoff,
        Duration defaultFollowDeadline,
        Duration defaultRetryAfter,
        String userAgent) {

    public static final String DEFAULT_BASE_URL = "https://api.givon.ai";
    public static final String DEFAULT_SUBMIT_PATH = "/api/v1/generations";
    public static final String DEFAULT_STATUS_PATH = "/api/v1/generations/{id}";
    public static final String DEFAULT_USER_AGENT = "troupe-givon/0.1";
    static final String ID_PLACEHOLDER = "{id}";

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
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be >= 1, got " + maxPoolSize);
        }
        Objects.requireNonNull(pollBackoff, "pollBackoff");
        positive("defaultFollowDeadline", defaultFollowDeadline);
        if (defaultRetryAfter == null || defaultRetryAfter.isNegative()) {
            throw new IllegalArgumentException("defaultRetryAfter must be >= 0, got " + defaultRetryAfter);
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
                .connectTimeout(connectTimeout).responseTimeout(responseTimeout).maxPoolSize(maxPoolSize)
                .pollBackoff(pollBackoff).defaultFollowDeadline(defaultFollowDeadline)
                .defaultRetryAfter(defaultRetryAfter).userAgent(userAgent);
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
        private int maxPoolSize = 50;
        private PollBackoff pollBackoff = PollBackoff.DEFAULT;
        private Duration defaultFollowDeadline = Duration.ofMinutes(30);
        private Duration defaultRetryAfter = Duration.ofSeconds(5);
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
        public Builder maxPoolSize(int value) { maxPoolSize = value; return this; }
        public Builder pollBackoff(PollBackoff value) { pollBackoff = value; return this; }
        public Builder defaultFollowDeadline(Duration value) { defaultFollowDeadline = value; return this; }
        public Builder defaultRetryAfter(Duration value) { defaultRetryAfter = value; return this; }
        public Builder userAgent(String value) { userAgent = value; return this; }

        public GivonConfig build() {
            return new GivonConfig(baseUrl, submitPath, statusPath, apiKey, connectTimeout, responseTimeout,
                    maxPoolSize, pollBackoff, defaultFollowDeadline, defaultRetryAfter, userAgent);
        }
    }
}
