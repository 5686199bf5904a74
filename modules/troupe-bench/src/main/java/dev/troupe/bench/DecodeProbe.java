package dev.troupe.bench;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times {@code JobCodec.defaults().decode(bytes)} for each of {@link WorstRecords} on this thread:
 * every record is first decoded for a warm-up period (all of them, so that the JIT has compiled the
 * paths they share), then timed one call at a time for a window. The worker decodes on its consumer
 * thread, so a call's time is also how long that record holds the poll loop.
 */
final class DecodeProbe {

    /** Warm-up per record, timing window per record, and the fewest calls a figure is made of. */
    record Timing(Duration warmup, Duration window, int minCalls) {}

    private static final int MAX_CALLS = 100_000;

    private final JobCodec codec = JobCodec.defaults();
    private final Progress progress;
    /** Read after the loops so that the JIT cannot drop the calls whose results nothing else uses. */
    private long sink;

    DecodeProbe(Progress progress) {
        this.progress = progress;
    }

    List<DecodeSample> measure(Timing timing) {
        List<WorstRecords.Case> cases = WorstRecords.all();
        progress.say("decode: warming up %d records for %d ms each", cases.size(), timing.warmup().toMillis());
        for (WorstRecords.Case c : cases) {
            long until = System.nanoTime() + timing.warmup().toNanos();
            while (System.nanoTime() < until) {
                sink += codec.decode(c.bytes()).hashCode();
            }
        }
        List<DecodeSample> samples = new ArrayList<>();
        for (WorstRecords.Case c : cases) {
            samples.add(time(c, timing));
        }
        progress.debug("decode sink %d", sink);
        return samples;
    }

    private DecodeSample time(WorstRecords.Case c, Timing timing) {
        long[] nanos = new long[MAX_CALLS];
        int calls = 0;
        long until = System.nanoTime() + timing.window().toNanos();
        DecodeResult last = null;
        while (calls < MAX_CALLS && (calls < timing.minCalls() || System.nanoTime() < until)) {
            long start = System.nanoTime();
            last = codec.decode(c.bytes());
            nanos[calls++] = System.nanoTime() - start;
            sink += last.hashCode();
        }
        long[] timed = Arrays.copyOf(nanos, calls);
        Arrays.sort(timed);
        double median = calls % 2 == 1 ? timed[calls / 2] : (timed[calls / 2 - 1] + timed[calls / 2]) / 2.0;
        long p99 = timed[(int) Math.ceil(calls * 0.99) - 1];
        DecodeSample sample = new DecodeSample(c.name(), c.bytes().length, outcome(last), calls, median / 1_000.0,
                p99 / 1_000.0, timed[calls - 1] / 1_000.0);
        progress.say("decode: %s, %,d bytes: median %.1f µs, p99 %.1f µs, max %.1f µs over %,d calls", c.name(), sample.bytes(),
                sample.medianMicros(), sample.p99Micros(), sample.maxMicros(), calls);
        return sample;
    }

    private static String outcome(DecodeResult result) {
        if (result instanceof DecodeResult.Decoded) {
            return "valid";
        }
        if (result instanceof DecodeResult.Invalid invalid) {
            return "invalid, " + invalid.violations().size() + " violation(s)" + (invalid.jobId() == null ? ", no jobId" : "");
        }
        return "unreadable";
    }
}
