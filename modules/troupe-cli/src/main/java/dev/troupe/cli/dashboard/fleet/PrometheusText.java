package dev.troupe.cli.dashboard.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Prometheus text exposition format (version 0.0.4), read as samples: {@code name{label="value",...} value [timestamp]}.
 * A scrape is outside input, so everything is bounded: a line longer than {@link #MAX_LINE_CHARS}, with more
 * than {@link #MAX_LABELS} labels or otherwise malformed is skipped and counted; after {@link #MAX_SAMPLES}
 * samples the rest of the text is not read ({@link Parsed#truncated()}). {@code #} lines (HELP, TYPE,
 * comments) and blank lines are ignored. Stateless; any thread.
 */
public final class PrometheusText {

    /** Longest line read; the worker's longest (a Kafka client meter with its tags) is a few hundred characters. */
    public static final int MAX_LINE_CHARS = 16 * 1024;
    /** Most labels on one sample; the worker's meters carry at most six. */
    public static final int MAX_LABELS = 32;
    /** Most samples read from one text; a worker serves about a thousand (its Kafka clients' meters per partition). */
    public static final int MAX_SAMPLES = 100_000;

    /** One sample; {@code labels} in the order of the text. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            Objects.requireNonNull(name, "name");
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /**
     * What a text held: its samples in order, how many non-comment lines were skipped as malformed, and
     * whether reading stopped at {@link #MAX_SAMPLES}.
     */
    public record Parsed(List<Sample> samples, int malformed, boolean truncated) {
        public Parsed {
            samples = List.copyOf(samples);
        }
    }

    private PrometheusText() {
    }

    /** Never throws for any text (null reads as empty). */
    public static Parsed parse(String text) {
        List<Sample> samples = new ArrayList<>();
        if (text == null) {
            return new Parsed(samples, 0, false);
        }
        int malformed = 0;
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            int lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            if (!ignored(text, start, lineEnd)) {
                if (samples.size() == MAX_SAMPLES) {
                    return new Parsed(samples, malformed, true);
                }
                Sample sample = lineEnd - start > MAX_LINE_CHARS ? null : new Line(text, start, lineEnd).sample();
                if (sample == null) {
                    malformed++;
                } else {
                    samples.add(sample);
                }
            }
            start = end + 1;
        }
        return new Parsed(samples, malformed, false);
    }

    /**
     * The line {@link #parse} reads back as {@code sample} (same name, labels and value; NaN as {@code NaN},
     * infinities as {@code +Inf}/{@code -Inf}). The name and label names must be valid Prometheus names.
     */
    public static String render(Sample sample) {
        StringBuilder line = new StringBuilder(sample.name());
        if (!sample.labels().isEmpty()) {
            line.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                if (!first) {
                    line.append(',');
                }
                first = false;
                line.append(label.getKey()).append("=\"");
                escape(label.getValue(), line);
                line.append('"');
            }
            line.append('}');
        }
        return line.append(' ').append(formatValue(sample.value())).toString();
    }

    static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    private static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** Blank, or a {@code #} line. */
    private static boolean ignored(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t') {
                return c == '#';
            }
        }
        return true;
    }

    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean validLabelName(String name) {
        return validName(name) && name.indexOf(':') < 0;
    }

    /** A cursor over one line; {@link #sample()} is null for anything malformed. */
    private static final class Line {
        private final String text;
        private final int end;
        private int at;

        Line(String text, int start, int end) {
            this.text = text;
            this.at = start;
            this.end = end;
        }

        Sample sample() {
            skipBlanks();
            String name = token(true);
            if (name == null) {
                return null;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (at < end && text.charAt(at) == '{') {
                at++;
                if (!labels(labels)) {
                    return null;
                }
            }
            if (at >= end || !blank(text.charAt(at))) {
                return null;
            }
            skipBlanks();
            int valueStart = at;
            while (at < end && !blank(text.charAt(at))) {
                at++;
            }
            Double value = value(text.substring(valueStart, at));
            if (value == null) {
                return null;
            }
            skipBlanks();
            if (at < end && !timestamp()) {
                return null;
            }
            return new Sample(name, labels, value);
        }

        /** After the opening brace, through the closing one; a trailing comma is allowed, as in the format. */
        private boolean labels(Map<String, String> labels) {
            while (true) {
                skipBlanks();
                if (at >= end) {
                    return false;
                }
                if (text.charAt(at) == '}') {
                    at++;
                    return true;
                }
                String label = token(false);
                if (label == null || labels.containsKey(label) || labels.size() == MAX_LABELS) {
                    return false;
                }
                skipBlanks();
                if (at >= end || text.charAt(at) != '=') {
                    return false;
                }
                at++;
                skipBlanks();
                String value = quoted();
                if (value == null) {
                    return false;
                }
                labels.put(label, value);
                skipBlanks();
                if (at < end && text.charAt(at) == ',') {
                    at++;
                } else if (at >= end || text.charAt(at) != '}') {
                    return false;
                }
            }
        }

        private String token(boolean metric) {
            int start = at;
            while (at < end) {
                char c = text.charAt(at);
                boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (at > start && c >= '0' && c <= '9')
                        || (metric && c == ':');
                if (!ok) {
                    break;
                }
                at++;
            }
            return at == start ? null : text.substring(start, at);
        }

        /** A double-quoted label value with \\, \" and \n escapes; any other escape is malformed. */
        private String quoted() {
            if (at >= end || text.charAt(at) != '"') {
                return null;
            }
            at++;
            StringBuilder value = new StringBuilder();
            while (at < end) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (at >= end) {
                    return null;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '\\' -> value.append('\\');
                    case '"' -> value.append('"');
                    case 'n' -> value.append('\n');
                    default -> {
                        return null;
                    }
                }
            }
            return null;
        }

        /** An optional integer timestamp in milliseconds, then nothing but blanks. */
        private boolean timestamp() {
            int start = at;
            if (at < end && text.charAt(at) == '-') {
                at++;
            }
            int digits = at;
            while (at < end && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            if (at == digits || at - start > 20) {
                return false;
            }
            skipBlanks();
            return at == end;
        }

        private void skipBlanks() {
            while (at < end && blank(text.charAt(at))) {
                at++;
            }
        }

        private static boolean blank(char c) {
            return c == ' ' || c == '\t';
        }
    }

    /**
     * A Go-style float as Prometheus reads it: decimal digits, point, exponent, and (any case, optionally
     * signed) {@code NaN}, {@code Inf}, {@code Infinity}. Java's extras (hex, {@code d}/{@code f} suffixes) are refused.
     */
    static Double value(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return null;
        }
        boolean negative = text.charAt(0) == '-';
        String word = text.charAt(0) == '+' || negative ? text.substring(1) : text;
        if (word.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        boolean digit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return null;
            }
        }
        if (!digit) {
            return null;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
