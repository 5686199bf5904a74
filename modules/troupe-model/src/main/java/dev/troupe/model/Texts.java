package dev.troupe.model;

/**
 * Bounds on text that comes from outside (a record, a Givon answer) before it is written anywhere:
 * a result, a dead letter's headers, a log line. A clipped text keeps its beginning and says how long
 * it was, so a reader sees that it was cut.
 */
public final class Texts {

    private Texts() {
    }

    /**
     * {@code text} if it has at most {@code maxCodePoints} code points, else its first
     * {@code maxCodePoints} code points and {@code …(N chars)}; null stays null. Never splits a
     * surrogate pair, and counts without copying long inputs more than once.
     */
    public static String clip(String text, int maxCodePoints) {
        if (maxCodePoints < 0) {
            throw new IllegalArgumentException("maxCodePoints must be >= 0, got " + maxCodePoints);
        }
        if (text == null || text.length() <= maxCodePoints) {
            return text;
        }
        int total = text.codePointCount(0, text.length());
        if (total <= maxCodePoints) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, maxCodePoints)) + "…(" + total + " chars)";
    }
}
