package dev.troupe.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ConcurrencyLimiterPropertiesTest {

    @Property(tries = 300)
    void neverMoreInFlightThanTheLimitAndTheLimitStaysWithinOneAndC(
            @ForAll @IntRange(min = 1, max = 300) int maxConcurrency,
            @ForAll @Size(max = 800) List<@IntRange(min = 0, max = 1_000_000) Integer> events) {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(ConcurrencyConfig.withMaxConcurrency(maxConcurrency));
        List<ConcurrencyLimiter.Permit> held = new ArrayList<>();
        List<ConcurrencyLimiter.Permit> released = new ArrayList<>();
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        for (int event : events) {
            int arg = event / 8;
            int limitBefore = limiter.limit();
            switch (event % 8) {
                case 0, 1, 2 -> {
                    boolean paused = limiter.isPaused(now);
                    int inFlightBefore = limiter.inFlight();
                    Optional<ConcurrencyLimiter.Permit> permit = limiter.tryAcquire(now);
                    if (permit.isPresent()) {
                        assertThat(paused).as("acquired while paused").isFalse();
                        assertThat(limiter.inFlight()).as("in flight after acquire").isLessThanOrEqualTo(limitBefore);
                        held.add(permit.get());
                    } else {
                        assertThat(paused || inFlightBefore >= limitBefore).as("refused without reason").isTrue();
                    }
                }
                case 3 -> {
                    if (!held.isEmpty()) {
                        ConcurrencyLimiter.Permit permit = held.remove(arg % held.size());
                        permit.release();
                        released.add(permit);
                    }
                }
                case 4 -> {
                    // double release: must not free a second slot
                    if (!released.isEmpty()) {
                        released.get(arg % released.size()).release();
                    }
                }
                case 5 -> {
                    List<ConcurrencyLimiter.Permit> any = new ArrayList<>(held);
                    any.addAll(released);
                    if (!any.isEmpty()) {
                        limiter.onSuccess(any.get(arg % any.size()));
                        assertThat(limiter.limit()).isGreaterThanOrEqualTo(limitBefore);
                    }
                }
                case 6 -> {
                    Duration retryAfter = Duration.ofMillis(arg % 5_000 - 500);
                    limiter.onRateLimited(retryAfter, now);
                    assertThat(limiter.limit()).isLessThanOrEqualTo(limitBefore);
                }
                default -> now = now.plusMillis(arg % 3_000);
            }
            assertThat(limiter.limit()).isBetween(1, maxConcurrency);
            assertThat(limiter.inFlight()).as("in flight = permits held").isEqualTo(held.size());
        }
    }
}
