package dev.troupe.worker.runner;

import dev.troupe.model.ControlCommand;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Jobs whose tenant an operator paused ({@code troupe pause}), held in memory in arrival order, their
 * budget not reserved and their records not committed (they wait in Kafka: a next owner reads them
 * again and holds them too), until {@code troupe resume}; other tenants' jobs flow. They count as
 * parked for the consumer's bounds, so that a paused tenant never stops the others. Event loop only,
 * but for the counts.
 */
final class ControlGate {

    private final Controls controls;
    private final Map<String, List<JobSnapshot>> heldByTenant = new LinkedHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    ControlGate(Controls controls) {
        this.controls = controls;
    }

    /** The cancel that applies to this job; null if none. */
    ControlCommand cancelOf(JobSnapshot job) {
        return controls.cancelOf(job.job().batchId(), job.job().jobId(), job.record().timestamp());
    }

    /** The cancel that applies to this parked job, in memory or shelved; null if none. */
    ControlCommand cancelOf(ParkedJob job) {
        return controls.cancelOf(job.batchId(), job.jobId(), job.enqueuedAt());
    }

    /** Whether the job's tenant (or the fleet) is paused now. */
    boolean pausedNow(JobSnapshot job) {
        return controls.pauseOf(job.tenant()) != null;
    }

    /** Holds the job (Admitted, no reservation) until its tenant is resumed. */
    void hold(JobSnapshot job) {
        heldByTenant.computeIfAbsent(tenantKey(job.tenant()), t -> new ArrayList<>()).add(job);
        held.incrementAndGet();
        bytes.addAndGet(job.recordBytes());
    }

    /** Takes out, in arrival order, the held jobs that are no longer paused or are cancelled now, for another look. */
    List<JobSnapshot> released() {
        return take(job -> controls.pauseOf(job.tenant()) == null || cancelOf(job) != null);
    }

    /** Drops held jobs (their partitions were revoked): the next owner reads their records again. */
    void drop(Predicate<JobSnapshot> which) {
        take(which);
    }

    private List<JobSnapshot> take(Predicate<JobSnapshot> which) {
        List<JobSnapshot> taken = new ArrayList<>();
        for (Iterator<List<JobSnapshot>> lines = heldByTenant.values().iterator(); lines.hasNext(); ) {
            List<JobSnapshot> line = lines.next();
            line.removeIf(job -> {
                if (!which.test(job)) {
                    return false;
                }
                held.decrementAndGet();
                bytes.addAndGet(-job.recordBytes());
                taken.add(job);
                return true;
            });
            if (line.isEmpty()) {
                lines.remove();
            }
        }
        return taken;
    }

    /** Jobs held; any thread. */
    int heldJobs() {
        return held.get();
    }

    /** Their record bytes; any thread. */
    long heldBytes() {
        return bytes.get();
    }

    private static String tenantKey(String tenant) {
        return tenant == null ? "" : tenant;
    }
}
