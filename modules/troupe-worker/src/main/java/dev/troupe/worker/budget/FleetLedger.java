package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One limited budget as the fleet shares it (DESIGN.md "Fleet quotas"): the deterministic rule every
 * worker applies to the budget's records on {@code troupe.budget}, in log order, with each record's
 * broker time ({@code LogAppendTime}) choosing its window. Every reader that starts at or before the
 * first record of a window reaches the same state of that window, and so the same decision on every
 * request in it: a request is granted if spent + reserved + its amount fits the limit at its place
 * in the log. Decisions depend on the current window only; earlier windows are kept (the previous
 * one, for late settlements) for what they report. Not thread-safe: one reader thread applies records.
 */
public final class FleetLedger {

    private final BudgetRule rule;
    private final Map<Long, Totals> windows = new HashMap<>();
    /** Open reservations: by window, then jobId. */
    private final Map<Long, Map<String, Tokens>> open = new HashMap<>();
    /**
     * Settled reservations, by window, the latest {@link #SETTLED_REMEMBERED} in log order (the same in
     * every reader of the window): a job settled and then asked for again, because its worker died
     * after the settlement and before its result was committed, gets its reservation back, not a
     * second one (nor a refusal of a job Givon ran).
     */
    private final Map<Long, LinkedHashMap<String, Tokens>> settled = new HashMap<>();
    static final int SETTLED_REMEMBERED = 100_000;
    private static final LinkedHashMap<String, Tokens> EMPTY = new LinkedHashMap<>();
    private long current = Long.MIN_VALUE;

    public FleetLedger(BudgetRule rule) {
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** The fate of one record, as every reader decides it. */
    public sealed interface Decision {}

    /**
     * Granted in {@code window}; {@code reused} when the job already held a reservation there, open or
     * settled (a request repeated after a crash or a hand-over), which is then the one granted; a
     * settlement of it again is ignored.
     */
    public record Granted(long window, Tokens amount, boolean reused) implements Decision {}

    /** Refused: the window has {@code remaining} left, less than asked; it rolls at {@code resumesAt}. */
    public record Exhausted(Tokens remaining, Instant resumesAt) implements Decision {}

    /** Refused: more than a whole window's limit. */
    public record TooLarge(Tokens limit) implements Decision {}

    /** A settlement or release applied to the reservation it names. */
    public record Closed(long window, Tokens amount) implements Decision {}

    /** A settlement or release of no open reservation this reader knows (closed already, or of a window before it started). */
    public record Ignored() implements Decision {}

    public Decision reserve(String jobId, Tokens amount, Instant appendedAt) {
        Objects.requireNonNull(jobId, "jobId");
        requireNotNegative(amount, "amount");
        long window = advance(appendedAt);
        Tokens held = open.getOrDefault(window, Map.of()).get(jobId);
        if (held == null) {
            held = settled.getOrDefault(window, EMPTY).get(jobId);
        }
        if (held != null) {
            return new Granted(window, held, true);
        }
        if (amount.exceeds(rule.limit())) {
            return new TooLarge(rule.limit());
        }
        Tokens remaining = remaining(window);
        if (amount.exceeds(remaining)) {
            return new Exhausted(remaining, rule.windowEnd(window));
        }
        totals(window).reserved = totals(window).reserved.plus(amount);
        open.computeIfAbsent(window, w -> new HashMap<>()).put(jobId, amount);
        return new Granted(window, amount, false);
    }

    /**
     * The job's reservation in {@code window} is spent at {@code cost}. A cost above the reservation
     * is recorded all the same (it is what Givon charged): the window's spend passes the limit and it
     * grants nothing more.
     */
    public Decision settle(String jobId, long window, Tokens cost, Instant appendedAt) {
        requireNotNegative(cost, "cost");
        advance(appendedAt);
        Tokens amount = close(jobId, window);
        if (amount == null) {
            return new Ignored();
        }
        LinkedHashMap<String, Tokens> done = settled.computeIfAbsent(window, w -> new LinkedHashMap<>());
        done.put(jobId, amount);
        if (done.size() > SETTLED_REMEMBERED) {
            done.remove(done.keySet().iterator().next());
        }
        Totals totals = totals(window);
        totals.spent = totals.spent.plus(cost);
        if (cost.exceeds(amount)) {
            totals.overspend = totals.overspend.plus(cost.minus(amount));
        }
        return new Closed(window, amount);
    }

    /** The job's reservation in {@code window} is given back unused (Givon created nothing). */
    public Decision release(String jobId, long window, Instant appendedAt) {
        advance(appendedAt);
        Tokens amount = close(jobId, window);
        return amount == null ? new Ignored() : new Closed(window, amount);
    }

    /** The window a record appended at {@code at} counts in: never one before a window already seen. */
    public long windowAt(Instant at) {
        return Math.max(rule.windowIndex(at), current);
    }

    public BudgetRule rule() {
        return rule;
    }

    /** The state of a window: what it reserved and spent, its open reservations, its overspend. */
    public record WindowState(long window, Tokens reserved, Tokens spent, int open, Tokens overspend, Tokens remaining) {}

    public WindowState window(long window) {
        Totals totals = windows.get(window);
        int openCount = open.getOrDefault(window, Map.of()).size();
        return totals == null ? new WindowState(window, Tokens.ZERO, Tokens.ZERO, 0, Tokens.ZERO, rule.limit())
                : new WindowState(window, totals.reserved, totals.spent, openCount, totals.overspend, remaining(window));
    }

    /** The latest window a record moved this ledger to; {@link Long#MIN_VALUE} before any. */
    public long currentWindow() {
        return current;
    }

    private long advance(Instant appendedAt) {
        Objects.requireNonNull(appendedAt, "appendedAt");
        long window = windowAt(appendedAt);
        if (window != current) {
            current = window;
            // Only the current window decides; the previous one still takes late settlements for what it reports.
            windows.keySet().removeIf(w -> w < window - 1);
            open.keySet().removeIf(w -> w < window - 1);
            settled.keySet().removeIf(w -> w < window - 1);
        }
        return window;
    }

    private Tokens close(String jobId, long window) {
        Map<String, Tokens> reservations = open.get(window);
        Tokens amount = reservations == null ? null : reservations.remove(jobId);
        if (amount != null) {
            Totals totals = totals(window);
            totals.reserved = totals.reserved.minus(amount);
        }
        return amount;
    }

    private Tokens remaining(long window) {
        Totals totals = windows.get(window);
        return totals == null ? rule.limit() : Tokens.max(Tokens.ZERO, rule.limit().minus(totals.reserved).minus(totals.spent));
    }

    private Totals totals(long window) {
        return windows.computeIfAbsent(window, w -> new Totals());
    }

    private static void requireNotNegative(Tokens value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    private static final class Totals {
        Tokens reserved = Tokens.ZERO;
        Tokens spent = Tokens.ZERO;
        Tokens overspend = Tokens.ZERO;
    }
}
