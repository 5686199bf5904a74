package dev.troupe.givon.sim;

import dev.troupe.model.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The simulator's books, safe to read from any thread while the server runs. Generations end
 * lazily: whatever reads the books first settles every generation whose end time has passed, so
 * no timer runs per generation.
 */
public final class SimulatorLedger {

    private final SimClock clock;
    private final PriorityQueue<Generation> running =
            new PriorityQueue<>((a, b) -> Long.signum(a.completesNanos() - b.completesNanos()));
    private final Map<String, Integer> activeByKey = new HashMap<>();
    private final Map<String, Integer> peakByKey = new HashMap<>();
    private final Map<String, Integer> byIdempotencyKey = new HashMap<>();
    private final Map<Integer, Long> responsesByStatus = new HashMap<>();
    private long created;
    private long succeeded;
    private long failed;
    private long unanswered;
    private long replays;
    private int peak;
    /** The idempotency keys of the generations running when the peak was reached, for a report of who ran them. */
    private List<String> runningAtPeak = List.of();
    private Tokens charged = Tokens.ZERO;
    private Tokens refunded = Tokens.ZERO;

    SimulatorLedger(SimClock clock) {
        this.clock = clock;
    }

    /** The books now, with every generation that has ended by now counted as ended. */
    public synchronized LedgerSnapshot snapshot() {
        settleUpTo(clock.nowNanos());
        return new LedgerSnapshot(created, byIdempotencyKey, succeeded, failed, charged, refunded, peak, peakByKey,
                responsesByStatus, unanswered, replays);
    }

    synchronized void settleUpTo(long nowNanos) {
        Generation next;
        while ((next = running.peek()) != null && nowNanos - next.completesNanos() >= 0) {
            running.poll();
            activeByKey.merge(next.apiKeyLabel(), -1, Integer::sum);
            if (next.outcome().succeeds()) {
                succeeded++;
            } else {
                failed++;
                Tokens refund = next.cost().minus(next.finalCost());
                charged = charged.minus(refund);
                refunded = refunded.plus(refund);
            }
        }
    }

    /** Active generations of one key at {@code nowNanos}. */
    synchronized int activeFor(String apiKeyLabel, long nowNanos) {
        settleUpTo(nowNanos);
        return activeByKey.getOrDefault(apiKeyLabel, 0);
    }

    /** Tokens charged so far, net of the refunds due by {@code nowNanos}. */
    synchronized Tokens chargedAt(long nowNanos) {
        settleUpTo(nowNanos);
        return charged;
    }

    /** Counts a new generation; those that ended by {@code nowNanos} leave the running set first. */
    synchronized void recordCreated(Generation generation, long nowNanos) {
        settleUpTo(nowNanos);
        created++;
        charged = charged.plus(generation.cost());
        if (generation.idempotencyKey() != null) {
            byIdempotencyKey.merge(generation.idempotencyKey(), 1, Integer::sum);
        }
        running.add(generation);
        int activeForKey = activeByKey.merge(generation.apiKeyLabel(), 1, Integer::sum);
        peakByKey.merge(generation.apiKeyLabel(), activeForKey, Math::max);
        if (running.size() > peak) {
            peak = running.size();
            runningAtPeak = running.stream().map(Generation::idempotencyKey).toList();
        }
    }

    /** The idempotency keys (Troupe sends jobIds) of the generations running at the peak; null for a POST without one. */
    public synchronized List<String> runningAtPeak() {
        return new ArrayList<>(runningAtPeak);
    }

    synchronized void recordResponse(int httpStatus) {
        responsesByStatus.merge(httpStatus, 1L, Long::sum);
    }

    synchronized void recordUnanswered() {
        unanswered++;
    }

    synchronized void recordReplay() {
        replays++;
    }
}
