package dev.troupe.givon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} value (delta-seconds or an HTTP-date, relative to a clock) and
 * clamps it to [floor, ceiling]: a 0, a date in the past or a tiny wait becomes the floor (a zero
 * wait made a worker resubmit one job 21,972 times in 3 s), a huge one the ceiling (so no
 * {@code toMillis} overflows downstream).
 */
final class RetryAfter {

    /** Longer than any HTTP-date or sensible delta; a longer value is not read at all. */
    private static final int MAX_CHARS = 64;
    /** More digits than this overflow a long: certainly beyond any ceiling. */
    private static final int MAX_DIGITS = 18;

    private RetryAfter() {
    }

    /** The wait the header asks for, within [floor, ceiling]; empty when it is absent or unreadable (e.g. {@code -3}). */
    static Optional<Duration> parse(String header, Clock clock, Duration floor, Duration ceiling) {
        if (header == null || header.isBlank() || header.length() > MAX_CHARS) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(value.length() > MAX_DIGITS ? ceiling
                    : clamp(Duration.ofSeconds(Long.parseLong(value)), floor, ceiling));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(clamp(Duration.between(clock.instant(), at), floor, ceiling));
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    static Duration clamp(Duration wait, Duration floor, Duration ceiling) {
        return wait.compareTo(floor) < 0 ? floor : wait.compareTo(ceiling) > 0 ? ceiling : wait;
    }
}
