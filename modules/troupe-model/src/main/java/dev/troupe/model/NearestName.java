package dev.troupe.model;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name a misspelt one most likely meant ({@code tennant} → {@code tenant}), by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours; case ignored), for "did you
 * mean" hints. A name is suggested only when it is within a third of the shorter name's length (at
 * least one edit) and no other known name is as near. Thread-safe.
 */
public final class NearestName {

    /** Longer names get no suggestion: the name comes from outside and the distance costs length squared. */
    static final int MAX_NAME_CHARS = 64;

    private NearestName() {
    }

    /** The nearest of {@code known} to {@code name}, if one is near enough and unambiguous; never {@code name} itself. */
    public static Optional<String> among(String name, Collection<String> known) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tied = false;
        for (String candidate : known) {
            if (candidate.equals(name)) {
                return Optional.empty();
            }
            int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance > Math.max(1, Math.min(name.length(), candidate.length()) / 3)) {
                continue;
            }
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
                tied = false;
            } else if (distance == bestDistance) {
                tied = true;
            }
        }
        return tied ? Optional.empty() : Optional.ofNullable(best);
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
