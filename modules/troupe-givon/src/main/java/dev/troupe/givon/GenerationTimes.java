package dev.troupe.givon;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per model, the time after its acceptance by which a low share ({@value #QUANTILE_PERCENT}%) of the
 * model's generations have ended: the start of {@link GenerationFollower}'s learned schedule.
 *
 * <p>An observation is what one follow's reads saw: the generation was still running at
 * {@code runningAt} (0 when no read saw it running) and had ended by {@code endedBy}, both counted from
 * the acceptance; its end is somewhere between, never taken as {@code endedBy} (which would drift late
 * by the detection delay). The estimate moves by a stochastic-approximation step on the quantile, in
 * proportion to itself: up by {@code STEP x q} when the end came after it, down by
 * {@code STEP x (1 - q)} when before (by the share of the interval before it when the interval straddles
 * it). So it settles where a share q of ends fall below it, falls within a few generations when a model
 * gets faster (reads would otherwise come late) and rises slowly when it gets slower (which costs a few
 * reads, not latency). The first observation of a model starts it at {@code runningAt} (else
 * {@code endedBy}). Always within {@code [floor, ceiling]}.
 *
 * <p>Thread-safe without locks on the hot path: one {@link AtomicLong} per model (the estimate's bits),
 * read with one volatile load and updated by compare-and-set; the map only grows when a model is seen
 * for the first time, and holds at most {@value #MAX_MODELS} models (more are followed on the backoff
 * alone).
 */
final class GenerationTimes {

    /** The share of generations expected to have ended by the learned start, in percent. */
    static final int QUANTILE_PERCENT = 20;
    static final double QUANTILE = QUANTILE_PERCENT / 100.0;
    /** The relative step of one observation. */
    static final double STEP = 0.1;
    static final int MAX_MODELS = 64;
    /** A learned start of 0 (or none): the first read comes at once. */
    static final long AT_ONCE = 0;

    private static final long NONE = Double.doubleToRawLongBits(Double.NaN);

    private final double floorNanos;
    private final double ceilingNanos;
    private final ConcurrentMap<String, AtomicLong> byModel = new ConcurrentHashMap<>();

    GenerationTimes(PollStart bounds) {
        this.floorNanos = bounds.floor().toNanos();
        this.ceilingNanos = bounds.ceiling().toNanos();
    }

    /**
     * Nanoseconds after the acceptance at which a follow of {@code model} should read first:
     * {@link #AT_ONCE} with no history, or with a learned start at the floor.
     */
    long startNanos(String model) {
        AtomicLong estimate = model == null ? null : byModel.get(model);
        if (estimate == null) {
            return AT_ONCE;
        }
        double nanos = Double.longBitsToDouble(estimate.get());
        return Double.isNaN(nanos) || nanos <= floorNanos ? AT_ONCE : (long) nanos;
    }

    /** The learned estimate of {@code model} in nanoseconds (at the floor included), or NaN with no history. */
    double estimateNanos(String model) {
        AtomicLong estimate = model == null ? null : byModel.get(model);
        return estimate == null ? Double.NaN : Double.longBitsToDouble(estimate.get());
    }

    /** One generation of {@code model} was running at {@code runningAtNanos} and had ended by {@code endedByNanos}. */
    void observe(String model, long runningAtNanos, long endedByNanos) {
        if (model == null) {
            return;
        }
        AtomicLong estimate = byModel.get(model);
        if (estimate == null) {
            if (byModel.size() >= MAX_MODELS) {
                return;
            }
            estimate = byModel.computeIfAbsent(model, m -> new AtomicLong(NONE));
        }
        estimate.updateAndGet(bits -> Double.doubleToRawLongBits(
                next(Double.longBitsToDouble(bits), runningAtNanos, endedByNanos, floorNanos, ceilingNanos)));
    }

    /**
     * The estimate after one observation: {@code current} (NaN: none yet) moved towards the
     * {@link #QUANTILE} of ends, within {@code [floor, ceiling]}. Never NaN; nonsense times (negative,
     * an end before the running read) are read as the nearest sense.
     */
    static double next(double current, long runningAtNanos, long endedByNanos, double floor, double ceiling) {
        double lo = Math.max(0, runningAtNanos);
        double hi = Math.max(lo, endedByNanos);
        if (Double.isNaN(current) || Double.isInfinite(current)) {
            return clamp(lo > 0 ? lo : hi, floor, ceiling);
        }
        double shareBefore; // how much of the end's interval lies before the estimate
        if (hi <= current) {
            shareBefore = 1;
        } else if (lo >= current) {
            shareBefore = 0;
        } else {
            shareBefore = (current - lo) / (hi - lo);
        }
        return clamp(current * Math.exp(STEP * (QUANTILE - shareBefore)), floor, ceiling);
    }

    private static double clamp(double value, double floor, double ceiling) {
        return Math.max(floor, Math.min(ceiling, value));
    }
}
