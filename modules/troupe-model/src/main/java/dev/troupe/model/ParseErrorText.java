package dev.troupe.model;

import com.fasterxml.jackson.core.JacksonException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Why Jackson could not read a document, worded for a person on one line. Jackson's own message names
 * locations as {@code [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1,
 * column: 100]} even in {@link JacksonException#getOriginalMessage()}, and SnakeYAML's spreads a quoted
 * snippet and a caret over several lines; both are rewritten here, and the text is bounded.
 */
public final class ParseErrorText {

    static final int MAX_CHARS = 300;

    /** {@code [Source: ...; line: 1, column: 100]}: the source part says nothing to a user. */
    private static final Pattern JACKSON_LOCATION = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    private static final Pattern JACKSON_SOURCE_ONLY = Pattern.compile("\\s*\\[Source: [^\\]]*\\]");
    /** SnakeYAML's {@code  in 'reader', line 2, column 1:}: the caller reports the location itself. */
    private static final Pattern YAML_MARK = Pattern.compile("^\\s*in '[^']*', line \\d+, column \\d+:?\\s*$");
    private static final Pattern CARET = Pattern.compile("^\\s*\\^\\s*$");

    private ParseErrorText() {
    }

    /** The reason without Jackson's source references, on one line, at most {@value #MAX_CHARS} characters. */
    public static String of(JacksonException error) {
        String message = error.getOriginalMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : clean(message);
    }

    static String clean(String message) {
        String text = JACKSON_LOCATION.matcher(message).replaceAll("line $1, column $2");
        text = JACKSON_SOURCE_ONLY.matcher(text).replaceAll("");
        String[] lines = text.split("\\R");
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean snippet = i + 1 < lines.length && CARET.matcher(lines[i + 1]).matches();
            if (line.isBlank() || YAML_MARK.matcher(line).matches() || CARET.matcher(line).matches() || snippet) {
                continue;
            }
            kept.add(line.strip());
        }
        return Texts.clip(String.join(": ", kept), MAX_CHARS);
    }
}
