package dev.troupe.cli.dashboard;

import java.util.HashMap;
import java.util.Map;

/**
 * Shares the few distinct character and motion names between thousands of rows. Bounded: past
 * {@value #MAX} names it stops sharing (each row then keeps its own copy) rather than grow.
 */
final class Interner {

    static final int MAX = 20_000;
    private final Map<String, String> names = new HashMap<>();

    String intern(String text) {
        if (text == null) {
            return null;
        }
        String known = names.get(text);
        if (known != null) {
            return known;
        }
        if (names.size() < MAX) {
            names.put(text, text);
        }
        return text;
    }
}
