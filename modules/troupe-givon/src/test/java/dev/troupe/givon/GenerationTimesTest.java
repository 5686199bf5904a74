package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class GenerationTimesTest {

    private static final long MS = 1_000_000L;
    private static final PollStart BOUNDS = new PollStart(true, Duration.ofSeconds(1), Duration.ofMinutes(5));
    private static final double FLOOR = BOUNDS.floor().toNanos();
    private static final double CEILING = BOUNDS.ceiling().toNanos();

    @Property
    void staysWithinItsBoundsAndIsNeverNaN(@ForAll long runningAt, @ForAll long endedBy, @ForAll double current) {
        double next = GenerationTimes.next(current, runningAt, endedBy, FLOOR, CEILING);
        assertThat(next).isNotNaN().isBetween(FLOOR, CEILING);
    }

    @Property
    void aSeriesOfObservationsStaysWithinBounds(@ForAll("seeds") long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GenerationTimes times = new GenerationTimes(BOUNDS);
        for (int i = 0; i < 500; i++) {
            long lo = random.nextLong(-MS, 20 * 60_000 * MS);
            long hi = random.nextLong(-MS, 20 * 60_000 * MS);
            times.observe("m", lo, hi);
            assertThat(times.estimateNanos("m")).isNotNaN().isBetween(FLOOR, CEILING);
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /**
     * Reads bracket a fixed time c within 5 %: the estimate ends within [0.85 c, 1.1 c], from no history
     * or from any higher estimate an earlier, slower history left (rising from below is slow on
     * purpose: see {@link #aSlowerModelRaisesTheStartSlowly}).
     */
    @Property(tries = 200)
    void convergesOnAFixedTime(@ForAll @LongRange(min = 2_000, max = 150_000) long fixedMillis,
                               @ForAll @LongRange(min = 1_000, max = 300_000) long startMillis,
                               @ForAll boolean fresh, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long c = fixedMillis * MS;
        double estimate = fresh ? Double.NaN : Math.max(startMillis, fixedMillis) * MS;
        for (int i = 0; i < 150; i++) {
            long lo = c - (long) (random.nextDouble() * 0.05 * c);
            long hi = c + (long) (random.nextDouble() * 0.05 * c);
            // A read at the estimate that already sees the end tells only that it ended by then.
            if (!Double.isNaN(estimate) && estimate >= hi) {
                lo = 0;
                hi = (long) estimate;
            }
            estimate = GenerationTimes.next(estimate, lo, hi, FLOOR, CEILING);
        }
        assertThat(estimate).isBetween(0.85 * c, 1.1 * c);
    }

    /** Ends spread like the demo's (log-normal around 90 s): the estimate settles near their 20th percentile. */
    @Test
    void settlesNearTheTwentiethPercentileOfEnds() {
        SplittableRandom random = new SplittableRandom(5);
        GenerationTimes times = new GenerationTimes(BOUNDS);
        int below = 0;
        int counted = 0;
        for (int i = 0; i < 20_000; i++) {
            long end = (long) (90_000 * MS * Math.exp(0.124 * random.nextGaussian()));
            double estimate = times.estimateNanos("m");
            if (i >= 1_000) {
                counted++;
                below += end < estimate ? 1 : 0;
            }
            // Reads 2 s apart around the end, as a follow's would be.
            long lo = Math.max(0, end - random.nextLong(2_000 * MS));
            times.observe("m", lo, lo + 2_000 * MS);
        }
        assertThat((double) below / counted).isBetween(0.14, 0.26);
    }

    @Test
    void aFasterModelIsFollowedWithinAFewGenerations() {
        GenerationTimes times = new GenerationTimes(BOUNDS);
        times.observe("m", 90_000 * MS, 92_000 * MS);
        int generations = 0;
        // The model now takes 30 s: every first read (at the estimate) already sees the end.
        while (times.estimateNanos("m") > 30_000 * MS) {
            times.observe("m", 0, times.startNanos("m"));
            generations++;
        }
        assertThat(generations).isLessThanOrEqualTo(16);
    }

    /** Slower generations cost reads, not latency (no read comes later than today's would): the start rises 2 % a generation. */
    @Test
    void aSlowerModelRaisesTheStartSlowly() {
        GenerationTimes times = new GenerationTimes(BOUNDS);
        times.observe("m", 30_000 * MS, 31_000 * MS);
        for (int i = 0; i < 35; i++) {
            times.observe("m", 60_000 * MS, 61_000 * MS);
        }
        assertThat(times.estimateNanos("m") / (30_000 * MS)).isBetween(1.9, 2.1);
    }

    @Test
    void noHistoryOrAStartAtTheFloorMeansReadAtOnce() {
        GenerationTimes times = new GenerationTimes(BOUNDS);
        assertThat(times.startNanos("m")).isEqualTo(GenerationTimes.AT_ONCE);
        assertThat(times.estimateNanos("m")).isNaN();
        // Generations that end at once (the bench's L = 0): the estimate sits at the floor, reads stay at once.
        for (int i = 0; i < 50; i++) {
            times.observe("m", 0, 2 * MS);
        }
        assertThat(times.estimateNanos("m")).isEqualTo(FLOOR);
        assertThat(times.startNanos("m")).isEqualTo(GenerationTimes.AT_ONCE);
        assertThat(times.startNanos("other")).isEqualTo(GenerationTimes.AT_ONCE);
    }

    @Test
    void theFirstObservationStartsAtTheLastRunningReadNotAtTheEndRead() {
        GenerationTimes times = new GenerationTimes(BOUNDS);
        times.observe("m", 80_000 * MS, 95_000 * MS);
        assertThat(times.startNanos("m")).isEqualTo(80_000 * MS);
        times.observe("slow", 20 * 60_000 * MS, 21 * 60_000 * MS);
        assertThat(times.startNanos("slow")).isEqualTo(BOUNDS.ceiling().toNanos());
    }

    @Test
    void holdsABoundedNumberOfModels() {
        GenerationTimes times = new GenerationTimes(BOUNDS);
        for (int i = 0; i < GenerationTimes.MAX_MODELS + 10; i++) {
            times.observe("model-" + i, 5_000 * MS, 6_000 * MS);
        }
        assertThat(times.startNanos("model-0")).isEqualTo(5_000 * MS);
        assertThat(times.startNanos("model-" + (GenerationTimes.MAX_MODELS + 5))).isEqualTo(GenerationTimes.AT_ONCE);
    }
}
