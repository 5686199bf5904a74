package dev.troupe.worker.runner;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Jobs of budgets whose window is spent (policy WAIT). They stay uncommitted in Kafka and held
 * here, in arrival order per budget (tenants without a budget of their own share the default one),
 * until the window rolls or budget is released; other budgets keep flowing. Parked jobs do not count
 * against the consumer's unfinished-record bound (that bound is for work this worker can do now):
 * {@link #parkedRecords} and {@link #parkedBytes}, readable from the consumer thread, let it bound
 * them apart.
 */
final class TenantParking {

    private final Vertx vertx;
    /** Re-admits a parked job; true if it parked again. */
    private final Predicate<JobSnapshot> readmit;
    private final UnaryOperator<String> budgetKey;
    private final Map<String, ArrayDeque<JobSnapshot>> parkedByBudget = new HashMap<>();
    private final Map<String, Long> wakeTimers = new HashMap<>();
    private final AtomicInteger parkedRecords = new AtomicInteger();
    private final AtomicLong parkedBytes = new AtomicLong();

    TenantParking(Vertx vertx, Predicate<JobSnapshot> readmit, UnaryOperator<String> budgetKey) {
        this.vertx = vertx;
        this.readmit = readmit;
        this.budgetKey = budgetKey;
    }

    void park(JobSnapshot job, Instant resumesAt, Instant now) {
        String tenant = key(job.tenant());
        parkedByBudget.computeIfAbsent(tenant, t -> new ArrayDeque<>()).addLast(job);
        counted(job, 1);
        wakeTimers.computeIfAbsent(tenant, t -> vertx.setTimer(
                Math.max(1, Duration.between(now, resumesAt).toMillis() + 1), id -> {
                    wakeTimers.remove(t);
                    retry(t);
                }));
    }

    void removeIf(Predicate<JobSnapshot> which) {
        parkedByBudget.values().forEach(parked -> parked.removeIf(job -> {
            boolean remove = which.test(job);
            if (remove) {
                counted(job, -1);
            }
            return remove;
        }));
        parkedByBudget.values().removeIf(ArrayDeque::isEmpty);
    }

    /** Budget came back for this tenant's budget (released, or settled below the estimate): the oldest parked jobs try again. */
    void capacityFreed(String tenant) {
        retry(key(tenant));
    }

    /** Re-admits parked jobs in order until one parks again (the window is still spent). */
    private void retry(String tenant) {
        ArrayDeque<JobSnapshot> parked = parkedByBudget.get(tenant);
        int attempts = parked == null ? 0 : parked.size();
        for (int i = 0; i < attempts && !parked.isEmpty(); i++) {
            JobSnapshot job = parked.pollFirst();
            counted(job, -1);
            if (readmit.test(job)) {
                // park() queued its new snapshot last; it keeps its place at the head.
                parked.addFirst(parked.pollLast());
                break;
            }
        }
        if (parked != null && parked.isEmpty()) {
            parkedByBudget.remove(tenant);
        }
    }

    /** Jobs parked now; safe to read from any thread. */
    int parkedRecords() {
        return parkedRecords.get();
    }

    /** The record bytes of the jobs parked now; safe to read from any thread. */
    long parkedBytes() {
        return parkedBytes.get();
    }

    private void counted(JobSnapshot job, int sign) {
        parkedRecords.addAndGet(sign);
        parkedBytes.addAndGet((long) sign * job.recordBytes());
    }

    private String key(String tenant) {
        return budgetKey.apply(tenant);
    }
}
