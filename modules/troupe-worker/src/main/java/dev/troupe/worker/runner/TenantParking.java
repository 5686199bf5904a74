package dev.troupe.worker.runner;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Jobs of tenants whose budget window is spent (policy WAIT). They stay uncommitted in Kafka and
 * held here, in arrival order per tenant, until the window rolls or budget is released; other
 * tenants keep flowing. The consumer's unfinished-record bound caps how many can be held.
 */
final class TenantParking {

    private final Vertx vertx;
    private final Consumer<JobExecution> readmit;
    private final Map<String, ArrayDeque<JobExecution>> parkedByTenant = new HashMap<>();
    private final Map<String, Long> wakeTimers = new HashMap<>();

    TenantParking(Vertx vertx, Consumer<JobExecution> readmit) {
        this.vertx = vertx;
        this.readmit = readmit;
    }

    void park(JobExecution exec, Instant resumesAt, Instant now) {
        String tenant = key(exec.job.tenant());
        parkedByTenant.computeIfAbsent(tenant, t -> new ArrayDeque<>()).addLast(exec);
        wakeTimers.computeIfAbsent(tenant, t -> vertx.setTimer(
                Math.max(1, Duration.between(now, resumesAt).toMillis() + 1), id -> {
                    wakeTimers.remove(t);
                    retry(t);
                }));
    }

    void remove(JobExecution exec) {
        ArrayDeque<JobExecution> parked = parkedByTenant.get(key(exec.job.tenant()));
        if (parked != null) {
            parked.remove(exec);
        }
    }

    /** Budget came back for this tenant (a job was never accepted): the oldest parked jobs try again. */
    void capacityFreed(String tenant, Instant now) {
        retry(key(tenant));
    }

    int parked() {
        return parkedByTenant.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /** Re-admits parked jobs in order until one parks again (the window is still spent). */
    private void retry(String tenant) {
        ArrayDeque<JobExecution> parked = parkedByTenant.get(tenant);
        int attempts = parked == null ? 0 : parked.size();
        for (int i = 0; i < attempts && !parked.isEmpty(); i++) {
            JobExecution exec = parked.pollFirst();
            exec.moveTo(new JobState.Admitted());
            readmit.accept(exec);
            if (exec.is(JobState.Parked.class)) {
                break;
            }
        }
        if (parked != null && parked.isEmpty()) {
            parkedByTenant.remove(tenant);
        }
    }

    private static String key(String tenant) {
        return tenant == null ? "" : tenant;
    }
}
