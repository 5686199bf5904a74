package dev.troupe.givon;

import java.util.ArrayList;
import java.util.List;

/**
 * Every text taken from a Givon answer (messages, failure reasons, violations, status words, video
 * URLs, whole bodies) passes here before it leaves the client: the API key is redacted first (on the
 * whole text, so no cut can leave part of it), control characters become spaces (no forged log
 * lines), and the result is clipped to a bound, so no answer can make a result or a log line large.
 */
final class GivonText {

    /** Givon's message in an error: as today. */
    static final int MAX_MESSAGE_CHARS = 500;
    /** Why a generation failed, as published in its result. */
    static final int MAX_FAILURE_REASON_CHARS = 1_000;
    /** A status word; anything longer is no status Givon is known to send (it counts as running). */
    static final int MAX_STATUS_WORD_CHARS = 64;
    /** A video URL; a longer one is treated as absent. */
    static final int MAX_VIDEO_URL_CHARS = 2_048;
    static final int MAX_VIOLATIONS = 20;
    static final int MAX_VIOLATION_CHARS = 200;
    static final int MAX_VIOLATIONS_CHARS = 1_000;
    private static final String CUT = "…";

    private final ApiKey apiKey;

    GivonText(ApiKey apiKey) {
        this.apiKey = apiKey;
    }

    String message(String text) {
        return bounded(text, MAX_MESSAGE_CHARS);
    }

    String failureReason(String text) {
        return bounded(text, MAX_FAILURE_REASON_CHARS);
    }

    String statusWord(String text) {
        return bounded(text, MAX_STATUS_WORD_CHARS);
    }

    /** The URL when it is an absolute http(s) URL of at most {@value #MAX_VIDEO_URL_CHARS} characters, else null. */
    String videoUrl(String text) {
        if (text == null) {
            return null;
        }
        String url = text.strip();
        boolean http = url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
        if (url.length() > MAX_VIDEO_URL_CHARS || !http || url.length() <= "https://".length()
                || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return null;
        }
        return apiKey.redact(url);
    }

    /**
     * At most {@value #MAX_VIOLATIONS} violations of {@value #MAX_VIOLATION_CHARS} characters,
     * {@value #MAX_VIOLATIONS_CHARS} in all, and a last one saying how many of {@code total} were left out.
     */
    List<String> violations(List<String> texts, int total) {
        List<String> kept = new ArrayList<>();
        int chars = 0;
        for (String text : texts) {
            String violation = bounded(text, MAX_VIOLATION_CHARS);
            if (kept.size() == MAX_VIOLATIONS || chars + violation.length() > MAX_VIOLATIONS_CHARS) {
                break;
            }
            kept.add(violation);
            chars += violation.length();
        }
        if (kept.size() < total) {
            kept.add("… and " + (total - kept.size()) + " more");
        }
        return kept;
    }

    /** Whether {@code text} quotes the API key (such a text can only leave redacted, i.e. changed). */
    boolean quotesKey(String text) {
        return text != null && !apiKey.redact(text).equals(text);
    }

    /** Redacted, without control characters, at most {@code max} characters (plus an ellipsis when cut). */
    String bounded(String text, int max) {
        if (text == null) {
            return null;
        }
        String redacted = apiKey.redact(text);
        int end = Math.min(redacted.length(), max);
        if (end < redacted.length() && Character.isHighSurrogate(redacted.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end + 1);
        for (int i = 0; i < end; i++) {
            char c = redacted.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return end < redacted.length() ? out.append(CUT).toString() : out.toString();
    }
}
