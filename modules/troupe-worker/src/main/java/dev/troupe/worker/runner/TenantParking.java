package dev.troupe.worker.runner;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Jobs of budgets whose window is spent (policy WAIT), in arrival order per budget (tenants without a
 * budget of their own share the default one), until the window rolls or budget is released; other
 * budgets keep flowing. With the journal on, a parked job leaves memory once its PARKED entry is
 * acknowledged ({@link ParkedJob#shelve}) and its record is committed; without it, the job and its
 * uncommitted record wait here. Jobs still in memory do not count against the consumer's
 * unfinished-record bound (that bound is for work this worker can do now): {@link #parkedRecords}
 * and {@link #parkedBytes}, readable from the consumer thread, let it bound them apart.
 */
final class TenantParking {

    /** What a retry returns while the fleet's budget log decides: the job keeps its place, its line waits for {@link #decided}. */
    static final Instant PENDING = Instant.MAX;

    private final Vertx vertx;
    /**
     * Tries a parked job again at {@code now}: null when it left parking (resumed, rejected, gone),
     * else when to try again (the window is still spent; it keeps its place at the head), or {@link #PENDING}.
     */
    private final BiFunction<ParkedJob, Instant, Instant> retry;
    private final UnaryOperator<String> budgetKey;
    private final java.time.Clock clock;
    private final Map<String, ArrayDeque<ParkedJob>> parkedByBudget = new HashMap<>();
    private final Map<String, Long> wakeTimers = new HashMap<>();
    /** Budgets whose head waits for the fleet's answer, and whether budget came back meanwhile (then it asks again). */
    private final Map<String, Boolean> asking = new HashMap<>();
    private final AtomicInteger inMemory = new AtomicInteger();
    private final AtomicInteger parked = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** By budget key: parked jobs in memory [0] and shelved [1], for the metrics; read from any thread. */
    private final Map<String, AtomicInteger[]> parkedByKey = new java.util.concurrent.ConcurrentHashMap<>();

    TenantParking(Vertx vertx, BiFunction<ParkedJob, Instant, Instant> retry, UnaryOperator<String> budgetKey, java.time.Clock clock) {
        this.vertx = vertx;
        this.retry = retry;
        this.budgetKey = budgetKey;
        this.clock = clock;
    }

    /** Queues a job last in its budget's line, to be tried at {@code resumesAt}. */
    void park(ParkedJob job, Instant resumesAt) {
        String budget = key(job.tenant());
        parkedByBudget.computeIfAbsent(budget, t -> new ArrayDeque<>()).addLast(job);
        counted(job, 1);
        wakeAt(budget, resumesAt);
    }

    /** The job's PARKED entry is acknowledged: it keeps its place, without its snapshot. */
    void shelve(ParkedJob job, long journalOffset) {
        counted(job, -1);
        job.shelve(journalOffset);
        counted(job, 1);
    }

    /** Takes out the jobs {@code which} selects (their partitions were revoked) and returns them, marked dropped. */
    List<ParkedJob> removeIf(Predicate<ParkedJob> which) {
        List<ParkedJob> removed = new ArrayList<>();
        parkedByBudget.values().forEach(line -> line.removeIf(job -> {
            if (!which.test(job)) {
                return false;
            }
            counted(job, -1);
            job.drop();
            removed.add(job);
            return true;
        }));
        parkedByBudget.values().removeIf(ArrayDeque::isEmpty);
        return removed;
    }

    /** Budget came back for this tenant's budget (released, or settled below the estimate): the oldest parked jobs try again. */
    void capacityFreed(String tenant) {
        retry(key(tenant));
    }

    /**
     * Tries parked jobs in order until one must wait again (the window is still spent). Each is taken
     * out before it is tried, so a retry that a resumed job's end sets off meanwhile sees a consistent line.
     */
    private void retry(String budget) {
        if (asking.containsKey(budget)) {
            asking.put(budget, true);
            return;
        }
        ArrayDeque<ParkedJob> line = parkedByBudget.get(budget);
        int attempts = line == null ? 0 : line.size();
        Instant now = clock.instant();
        for (int i = 0; i < attempts && (line = parkedByBudget.get(budget)) != null && !line.isEmpty(); i++) {
            ParkedJob job = line.pollFirst();
            counted(job, -1);
            if (line.isEmpty()) {
                parkedByBudget.remove(budget);
            }
            Instant again = retry.apply(job, now);
            if (again != null) {
                parkedByBudget.computeIfAbsent(budget, b -> new ArrayDeque<>()).addFirst(job);
                counted(job, 1);
                if (again == PENDING) {
                    asking.put(budget, false);
                } else {
                    wakeAt(budget, again);
                }
                return;
            }
        }
    }

    /**
     * The fleet answered for a job a retry left {@link #PENDING}: {@code again} null when it left
     * parking (its line goes on), else when to try again.
     */
    void decided(ParkedJob job, Instant again) {
        String budget = key(job.tenant());
        boolean freedMeanwhile = Boolean.TRUE.equals(asking.remove(budget));
        if (again == null) {
            ArrayDeque<ParkedJob> line = parkedByBudget.get(budget);
            if (line != null && line.remove(job)) {
                counted(job, -1);
                if (line.isEmpty()) {
                    parkedByBudget.remove(budget);
                }
            }
            retry(budget);
        } else if (freedMeanwhile) {
            retry(budget);
        } else {
            wakeAt(budget, again);
        }
    }

    private void wakeAt(String budget, Instant resumesAt) {
        wakeTimers.computeIfAbsent(budget, t -> vertx.setTimer(
                Math.max(1, Duration.between(clock.instant(), resumesAt).toMillis() + 1), id -> {
                    wakeTimers.remove(t);
                    retry(t);
                }));
    }

    /** Parked jobs still in memory (their records uncommitted); safe to read from any thread. */
    int parkedRecords() {
        return inMemory.get();
    }

    /** Every parked job, in memory or shelved; safe to read from any thread. */
    int parkedJobs() {
        return parked.get();
    }

    /** What parked jobs hold: the record bytes of those in memory, a small figure for each shelved one. Any thread. */
    long parkedBytes() {
        return bytes.get();
    }

    /** This budget's parked jobs in memory, or shelved (only the journal holds them); any thread. */
    int parked(String budget, boolean inMemoryOnes) {
        AtomicInteger[] counts = parkedByKey.get(budget);
        return counts == null ? 0 : counts[inMemoryOnes ? 0 : 1].get();
    }

    private void counted(ParkedJob job, int sign) {
        parked.addAndGet(sign);
        if (job.inMemory()) {
            inMemory.addAndGet(sign);
        }
        parkedByKey.computeIfAbsent(key(job.tenant()), k -> new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()})
                [job.inMemory() ? 0 : 1].addAndGet(sign);
        bytes.addAndGet(sign * job.bytes());
    }

    private String key(String tenant) {
        return budgetKey.apply(tenant);
    }
}
