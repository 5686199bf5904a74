package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RequestRateTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private final RequestRate rate = new RequestRate(now::get);

    @Test
    void unlimitedUntilARateIsSet() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(rate.take()).isZero();
        }
    }

    @Test
    void anIdleBucketLetsOneSecondsWorthThroughThenSpacesRequests() {
        rate.setRate(10);
        for (int i = 0; i < 10; i++) {
            assertThat(rate.take()).as("request %d of the burst", i).isZero();
        }
        assertThat(rate.take()).isEqualTo(Duration.ofMillis(100));
        assertThat(rate.take()).isEqualTo(Duration.ofMillis(200));
        now.addAndGet(10 * SECOND); // idle for long: the bucket refills to one burst, not more
        for (int i = 0; i < 10; i++) {
            assertThat(rate.take()).isZero();
        }
        assertThat(rate.take()).isPositive();
    }

    @Test
    void aRateBelowOnePerSecondLetsOneThroughAtATime() {
        rate.setRate(0.5);
        assertThat(rate.take()).isZero();
        assertThat(rate.take()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void zeroLiftsTheLimit() {
        rate.setRate(1);
        rate.take();
        assertThat(rate.take()).isPositive();
        rate.setRate(0);
        assertThat(rate.take()).isZero();
    }

    @Test
    void aRateOutOfRangeIsRefusedWithItsRule() {
        assertThatThrownBy(() -> rate.setRate(-1)).hasMessageContaining("rate must be between 0 and 100000");
        assertThatThrownBy(() -> rate.setRate(Double.NaN)).hasMessageContaining("rate must be between");
        assertThatThrownBy(() -> rate.setRate(1e9)).hasMessageContaining("was 1.0E9");
    }

    /**
     * Whatever the arrivals, the requests sent in any span of D seconds are at most one burst plus
     * D x rate, and they go out in the order they were booked.
     */
    @Property(tries = 300)
    void neverAboveTheRateInAnySpan(@ForAll @IntRange(min = 1, max = 200) int perSecond,
                                    @ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 300) Integer> gapsMillis) {
        rate.setRate(perSecond);
        List<Long> sent = new ArrayList<>();
        for (int gap : gapsMillis) {
            now.addAndGet(gap * 1_000_000L);
            sent.add(now.get() + rate.take().toNanos());
        }
        assertThat(sent).isSorted();
        long interval = Math.round((double) SECOND / perSecond);
        long burst = Math.max(1, perSecond);
        for (int i = 0; i < sent.size(); i++) {
            for (int j = i; j < sent.size(); j++) {
                long span = sent.get(j) - sent.get(i);
                assertThat(j - i + 1L).as("requests %d..%d within %d ns", i, j, span)
                        .isLessThanOrEqualTo(burst + span / interval);
            }
        }
    }
}
