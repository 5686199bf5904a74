package dev.troupe.worker.ops;

import dev.troupe.model.JobResult;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.TokenBudget;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The worker's Micrometer meters (documented in the README): jobs by outcome, in flight, the current
 * concurrency limit, tokens reserved / spent / remaining per tenant, Givon calls by status class, and
 * job latency. Gauges read the limiter and the budget directly, so they never drift from the truth.
 */
public final class WorkerMetrics {

    private static final String DEFAULT_TENANT = "default";

    private final MeterRegistry registry;
    private final TokenBudget budget;
    private final Set<String> tenantsWithGauges = ConcurrentHashMap.newKeySet();
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter abandoned;

    public WorkerMetrics(MeterRegistry registry, ConcurrencyLimiter limiter, TokenBudget budget) {
        this.registry = registry;
        this.budget = budget;
        Gauge.builder("troupe.jobs.in.flight", limiter, ConcurrencyLimiter::inFlight)
                .description("Givon generations this worker is submitting or following").register(registry);
        Gauge.builder("troupe.concurrency.limit", limiter, ConcurrencyLimiter::limit)
                .description("current AIMD concurrency limit (lowered on 429, raised on success)").register(registry);
        Gauge.builder("troupe.concurrency.max", limiter, ConcurrencyLimiter::maxLimit).register(registry);
        this.duplicates = Counter.builder("troupe.jobs.duplicates")
                .description("records whose jobId was already in flight or finished here; not submitted again").register(registry);
        this.deadLettered = Counter.builder("troupe.jobs.dead.lettered")
                .description("records without a readable jobId, sent to the dead-letter topic").register(registry);
        this.abandoned = Counter.builder("troupe.jobs.abandoned")
                .description("unsubmitted jobs handed back on revocation or shutdown (redelivered to the next owner)").register(registry);
    }

    public void started(String tenant) {
        String name = tenant == null ? DEFAULT_TENANT : tenant;
        if (tenantsWithGauges.add(name)) {
            tokenGauge(name, "reserved", budget::reserved);
            tokenGauge(name, "spent", budget::spent);
            tokenGauge(name, "remaining", budget::remaining);
        }
    }

    private void tokenGauge(String tenantTag, String state, Function<String, Tokens> reading) {
        String tenant = DEFAULT_TENANT.equals(tenantTag) ? null : tenantTag;
        Gauge.builder("troupe.budget.tokens", () -> reading.apply(tenant).toBigDecimal())
                .tag("tenant", tenantTag).tag("state", state).baseUnit("tokens").register(registry);
    }

    public void finished(JobResult result) {
        String outcome = result.status().name().toLowerCase(Locale.ROOT);
        String tenant = result.tenant() == null ? DEFAULT_TENANT : result.tenant();
        registry.counter("troupe.jobs", "outcome", outcome, "tenant", tenant).increment();
        Instant started = result.timings().startedAt();
        Instant completed = result.timings().completedAt();
        if (started != null && completed != null) {
            Timer.builder("troupe.job.latency").tag("outcome", outcome).publishPercentileHistogram(false)
                    .register(registry).record(Duration.between(started, completed));
        }
    }

    /** One Givon HTTP exchange, by class: 2xx, 4xx, 429, 5xx, connection, no_response. */
    public void givonCall(String statusClass) {
        registry.counter("troupe.givon.calls", "status", statusClass).increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void abandoned() {
        abandoned.increment();
    }
}
