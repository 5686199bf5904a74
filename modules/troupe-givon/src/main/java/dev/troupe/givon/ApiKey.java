package dev.troupe.givon;

import java.util.Objects;

/**
 * A Givon API key. It only leaves this object as the {@code Authorization} header value: its
 * {@code toString} is {@code ApiKey[****]} and nothing in this module puts it into a log line, an
 * exception message or another object's {@code toString}.
 */
public final class ApiKey {

    private static final String MASK = "****";

    private final String secret;

    private ApiKey(String secret) {
        this.secret = secret;
    }

    /** Wraps a key; blank keys and keys with whitespace or control characters are refused (without echoing them). */
    public static ApiKey of(String secret) {
        Objects.requireNonNull(secret, "apiKey");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            // Header injection guard; the offending key is deliberately not part of the message.
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(
                        "apiKey must not contain whitespace or control characters (found one at index " + i + ")");
            }
        }
        return new ApiKey(secret);
    }

    String authorizationHeader() {
        return "Bearer " + secret;
    }

    /** Replaces every occurrence of this key in {@code text} (e.g. a response body echoed into a message) by {@code ****}. */
    public String redact(String text) {
        return text == null ? null : text.replace(secret, MASK);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey key && key.secret.equals(secret);
    }

    @Override
    public int hashCode() {
        return secret.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[" + MASK + "]";
    }
}
