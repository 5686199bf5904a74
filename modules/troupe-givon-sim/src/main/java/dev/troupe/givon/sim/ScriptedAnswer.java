package dev.troupe.givon.sim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An answer a test scripts for one request ({@link ScriptedAnswers}): any status, headers and body
 * bytes (invalid UTF-8 included), optionally trickled slowly, and for a submission optionally sent
 * only after the generation was created and charged.
 *
 * <p>In the body, {@value #GENERATION_ID} stands for the generation's id: the one created first
 * ({@link #afterCreating()}), or the one a status read asks about. So a test can script, say, a
 * success whose cost is hostile: {@code json(201, "{\"id\":\"{generationId}\",\"cost\":\"1e1000000\"}").afterCreating()}.
 *
 * @param status       the HTTP status sent (any code Vert.x can write, 100..999)
 * @param headers      response headers; {@code Content-Type} among them when the body has one
 * @param body         the body bytes (copied in and out)
 * @param trickle      when present the body is written a few bytes at a time; absent = all at once
 * @param createFirst  for a submission: create and charge the generation first, as a real Givon that
 *                     answers after creating would. Only an authenticated, valid submission can create:
 *                     for any other the simulator answers as it would without the script
 */
public record ScriptedAnswer(int status, Map<String, String> headers, byte[] body, Optional<Trickle> trickle,
        boolean createFirst) {

    /** The placeholder in a body that becomes the generation's id. */
    public static final String GENERATION_ID = "{generationId}";

    /**
     * A body written {@code bytes} at a time with {@code every} in between (real time), e.g. one byte
     * every 300 ms: an answer that keeps a connection busy without ever being idle.
     */
    public record Trickle(int bytes, Duration every) {
        public Trickle {
            if (bytes < 1) {
                throw new IllegalArgumentException("trickle.bytes must be >= 1, got " + bytes);
            }
            Objects.requireNonNull(every, "trickle.every");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("trickle.every must be > 0, got " + every);
            }
        }
    }

    public ScriptedAnswer {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be in 100..999, got " + status);
        }
        headers = Map.copyOf(headers);
        body = body.clone();
        Objects.requireNonNull(trickle, "trickle");
    }

    /** A JSON body ({@code application/json}). */
    public static ScriptedAnswer json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** An HTML body, as a proxy or gateway would send. */
    public static ScriptedAnswer html(int status, String html) {
        return of(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** Any body with the given {@code Content-Type} (null: none). */
    public static ScriptedAnswer of(int status, String contentType, byte[] body) {
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("Content-Type", contentType);
        return new ScriptedAnswer(status, headers, body, Optional.empty(), false);
    }

    /** No body at all. */
    public static ScriptedAnswer empty(int status) {
        return of(status, null, new byte[0]);
    }

    /** The same answer with one more header (replacing one of the same name). */
    public ScriptedAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ScriptedAnswer(status, more, body, trickle, createFirst);
    }

    /** The same answer, its body written {@code bytes} at a time every {@code every}. */
    public ScriptedAnswer trickled(int bytes, Duration every) {
        return new ScriptedAnswer(status, headers, body, Optional.of(new Trickle(bytes, every)), createFirst);
    }

    /** The same answer, sent after the submission's generation was created and charged. */
    public ScriptedAnswer afterCreating() {
        return new ScriptedAnswer(status, headers, body, trickle, true);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body with {@value #GENERATION_ID} replaced by {@code generationId} (as is when null). */
    byte[] bodyFor(String generationId) {
        return generationId == null ? body.clone() : Bytes.replace(body,
                GENERATION_ID.getBytes(StandardCharsets.US_ASCII), generationId.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "ScriptedAnswer[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes, trickle="
                + trickle + ", createFirst=" + createFirst + "]";
    }
}
