package dev.troupe.worker;

import dev.troupe.worker.HostileRecord.Outcome;

/** Huge, odd and unreadable numbers, and numbers written as strings, with what each makes of a job field. */
enum OddNumber {
    HUGE_EXPONENT("1e1000000", true, null),
    NEGATIVE_HUGE_EXPONENT("-1e1000000", true, null),
    TINY("1e-400", true, null),
    NEGATIVE_ZERO("-0", true, 0L),
    NEGATIVE_ZERO_DECIMAL("-0.0", true, null),
    EXPONENT_WITH_PLUS("1E+2", true, null),
    HUNDRED_DIGITS("1" + "0".repeat(99), true, Long.MAX_VALUE),
    PAST_LONG("9223372036854775808", true, Long.MAX_VALUE),
    PAST_NEGATIVE_LONG("-9223372036854775809", true, Long.MIN_VALUE),
    PAST_INT("2147483648", true, 2_147_483_648L),
    THOUSAND_DIGITS("9".repeat(1_000), false, null),
    NEGATIVE_THOUSAND_DIGITS("-" + "9".repeat(1_000), false, null),
    HUNDRED_AND_ONE_DIGITS("1" + "0".repeat(100), false, null),
    LONG_DECIMAL("0." + "0".repeat(200) + "1", false, null),
    NAN("NaN", false, null),
    INFINITY("Infinity", false, null),
    NEGATIVE_INFINITY("-Infinity", false, null),
    PLUS_ONE("+1", false, null),
    LEADING_ZERO("01", false, null),
    BARE_DECIMAL_POINT(".5", false, null),
    TRAILING_DECIMAL_POINT("1.", false, null),
    HEX("0x10", false, null),
    AS_STRING("\"5\"", true, null),
    HUGE_AS_STRING("\"1e1000000\"", true, null),
    FIFTEEN("15", true, 15L),
    SIXTEEN("16", true, 16L);

    final String text;
    final boolean readable;
    /** The integer a JSON integer literal holds (clamped for the range checks), null for anything else. */
    final Long integer;

    OddNumber(String text, boolean readable, Long integer) {
        this.text = text;
        this.readable = readable;
        this.integer = integer;
    }

    boolean string() {
        return text.startsWith("\"");
    }

    Outcome outcomeIn(String field) {
        if (!readable) {
            return Outcome.DEAD_LETTER;
        }
        return switch (field) {
            case "priority" -> integer != null && integer >= -1_000 && integer <= 1_000 ? Outcome.SUCCEEDED : Outcome.REJECTED;
            case "input.duration" -> integer != null && integer >= 3 && integer <= 15 ? Outcome.SUCCEEDED : Outcome.REJECTED;
            case "metadata value", "tenant" -> string() ? Outcome.SUCCEEDED : Outcome.REJECTED;
            case "unknown top-level field" -> Outcome.SUCCEEDED;
            case "jobId" -> Outcome.DEAD_LETTER;
            default -> Outcome.REJECTED;
        };
    }
}
