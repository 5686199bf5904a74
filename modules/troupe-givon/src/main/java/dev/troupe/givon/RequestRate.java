package dev.troupe.givon;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket for one kind of request to Givon (submissions, status reads): at most {@code rate}
 * requests per second on average, with bursts of up to one second's worth (at least one request). Unlimited (rate 0) until
 * {@link #setRate} says otherwise; the worker sets its share of the account's rate and changes it on
 * every rebalance.
 *
 * <p>{@link #take} never refuses: it books the next free slot and says how long to wait for it, so
 * requests go out in the order they asked and nothing blocks. Times are the JVM's monotonic clock.
 * Thread-safe.
 */
public final class RequestRate {

    /** The highest rate a worker may be given, per second: far above any API's. */
    public static final double MAX_RATE = 100_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private double rate;
    private long interval;
    private long burst;
    /** The theoretical arrival time of the next request (nanoTime scale). */
    private long nextFree;

    public RequestRate() {
        this(System::nanoTime);
    }

    RequestRate(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nextFree = nanoTime.getAsLong();
    }

    /**
     * Requests per second from now on; 0 lifts the limit. A rate below one per second still lets one
     * request through at a time.
     */
    public synchronized void setRate(double perSecond) {
        if (!(perSecond >= 0 && perSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("rate must be between 0 and " + (long) MAX_RATE + " per second, was " + perSecond);
        }
        rate = perSecond;
        if (perSecond == 0) {
            interval = 0;
            burst = 0;
            return;
        }
        interval = Math.max(1, Math.round(NANOS_PER_SECOND / perSecond));
        burst = interval * Math.max(1, (long) Math.floor(perSecond)); // one second's worth of tokens
    }

    public synchronized double rate() {
        return rate;
    }

    /** Books one request: how long it must wait before going out (zero when a token is at hand). */
    public synchronized Duration take() {
        if (interval == 0) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        // GCRA: the theoretical arrival time moves by one interval per request; a request may go out a
        // burst's tolerance ahead of it, so an idle bucket lets one burst through at once and no more.
        long due = Math.max(nextFree, now);
        nextFree = due + interval;
        long wait = due - (burst - interval) - now;
        return wait <= 0 ? Duration.ZERO : Duration.ofNanos(wait);
    }
}
