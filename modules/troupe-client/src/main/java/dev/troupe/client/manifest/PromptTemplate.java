package dev.troupe.client.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A prompt with placeholders: {@code {character}} and {@code {motion}} (the entry's description, or its
 * name when it has none), {@code {characterName}}, {@code {motionName}} and {@code {batchId}}.
 * {@code {{} and {@code }}} write literal braces.
 */
public final class PromptTemplate {

    public static final Set<String> PLACEHOLDERS = Set.of("character", "motion", "characterName", "motionName", "batchId");

    private sealed interface Piece permits Literal, Placeholder {
    }

    private record Literal(String text) implements Piece {
    }

    private record Placeholder(String name) implements Piece {
    }

    private final List<Piece> pieces;

    private PromptTemplate(List<Piece> pieces) {
        this.pieces = List.copyOf(pieces);
    }

    /**
     * @throws IllegalArgumentException naming the first unknown placeholder or unclosed brace
     */
    public static PromptTemplate parse(String template) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                literal.append(c);
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'{' at position " + (i + 1) + " is not closed (write {{ for a literal brace)");
                }
                String name = template.substring(i + 1, close).trim();
                if (!PLACEHOLDERS.contains(name)) {
                    throw new IllegalArgumentException("unknown placeholder {" + name + "}; known: "
                            + String.join(", ", PLACEHOLDERS.stream().sorted().map(p -> "{" + p + "}").toList()));
                }
                if (!literal.isEmpty()) {
                    pieces.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                pieces.add(new Placeholder(name));
                i = close + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("'}' at position " + (i + 1) + " closes nothing (write }} for a literal brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            pieces.add(new Literal(literal.toString()));
        }
        return new PromptTemplate(pieces);
    }

    /** The prompt with every placeholder replaced by its value in {@code values}. */
    public String render(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        for (Piece piece : pieces) {
            if (piece instanceof Literal literal) {
                text.append(literal.text());
            } else if (piece instanceof Placeholder placeholder) {
                text.append(values.getOrDefault(placeholder.name(), ""));
            }
        }
        return text.toString();
    }
}
