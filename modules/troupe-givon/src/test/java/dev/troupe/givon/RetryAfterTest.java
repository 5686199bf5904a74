package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private static final Duration FLOOR = Duration.ofSeconds(1);
    private static final Duration CEILING = Duration.ofMinutes(5);
    private final Clock clock = Clock.fixed(Instant.parse("2025-11-24T10:00:00Z"), ZoneOffset.UTC);

    private Optional<Duration> parse(String header) {
        return RetryAfter.parse(header, clock, FLOOR, CEILING);
    }

    @Test
    void readsDeltaSeconds() {
        assertThat(parse("7")).contains(Duration.ofSeconds(7));
        assertThat(parse(" 42 ")).contains(Duration.ofSeconds(42));
    }

    @Test
    void readsAnHttpDateRelativeToTheClock() {
        assertThat(parse("Mon, 24 Nov 2025 10:00:42 GMT")).contains(Duration.ofSeconds(42));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "00", "Mon, 24 Nov 2025 09:00:00 GMT", "Mon, 24 Nov 2025 10:00:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"})
    void aZeroOrPastWaitIsTheFloorNeverZero(String header) {
        assertThat(parse(header)).contains(FLOOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"301", "99999999999999999", "9223372036854775807", "99999999999999999999999",
            "Fri, 31 Dec 9999 23:59:59 GMT"})
    void aHugeWaitIsTheCeiling(String header) {
        Duration wait = parse(header).orElseThrow();

        assertThat(wait).isEqualTo(CEILING);
        assertThat(wait.toMillis()).isEqualTo(300_000);
    }

    @Test
    void anUnreadableValueIsAbsent() {
        assertThat(parse(null)).isEmpty();
        assertThat(parse("soon")).isEmpty();
        assertThat(parse("-3")).isEmpty();
        assertThat(parse("1.5")).isEmpty();
        assertThat(parse("٣")).as("only ASCII digits").isEmpty();
        assertThat(parse("9".repeat(10_000))).isEmpty();
    }
}
