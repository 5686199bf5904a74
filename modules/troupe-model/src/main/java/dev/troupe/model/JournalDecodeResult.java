package dev.troupe.model;

import java.util.Objects;

/**
 * What a {@code troupe.state} record value turned out to be: a journal entry, or bytes that cannot be
 * read as one, with the field and the rule that failed. Never null, whatever the bytes (see
 * {@link JournalCodec#decode}).
 */
public sealed interface JournalDecodeResult permits JournalDecodeResult.Decoded, JournalDecodeResult.Unreadable {

    /** A complete, valid entry. */
    record Decoded(JournalEntry entry) implements JournalDecodeResult {
        public Decoded {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * Not an entry. Every part is bounded and on one line (control characters escaped), whatever the record held.
     *
     * @param field  the JSON field at fault ({@code attempt}, {@code job.input.prompt}); empty for the record as a whole
     * @param rule   the rule it broke ({@code required}, {@code range 1..1000}, {@code UTF-8}, ...)
     * @param reason a sentence for a log line, quoting at most a short prefix of the value
     */
    record Unreadable(String field, String rule, String reason) implements JournalDecodeResult {

        static final int MAX_FIELD_CHARS = 200;
        static final int MAX_RULE_CHARS = 200;
        static final int MAX_REASON_CHARS = 600;

        public Unreadable {
            field = oneLine(Texts.clip(Objects.requireNonNull(field, "field"), MAX_FIELD_CHARS));
            rule = oneLine(Texts.clip(Objects.requireNonNull(rule, "rule"), MAX_RULE_CHARS));
            reason = oneLine(Texts.clip(Objects.requireNonNull(reason, "reason"), MAX_REASON_CHARS));
        }

        private static String oneLine(String text) {
            if (text.chars().noneMatch(Character::isISOControl)) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length() + 16);
            text.chars().forEach(c -> {
                if (Character.isISOControl(c)) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.append((char) c);
                }
            });
            return out.toString();
        }

        @Override
        public String toString() {
            return (field.isEmpty() ? "" : field + ": ") + reason + " (rule: " + rule + ")";
        }
    }
}
