package dev.troupe.cli.dashboard.fleet;

import dev.troupe.worker.ops.MetricNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker series the fleet view reads, by their scraped names, derived from the worker's own
 * {@link MetricNames} the way Micrometer's Prometheus naming writes them (dots as underscores,
 * {@code _total} on counters, the base unit on a gauge that has one). {@code FleetProbeTest} checks that
 * each one is in a real worker's scrape.
 */
enum WorkerMetricNames {
    JOBS_IN_FLIGHT(scraped(MetricNames.JOBS_IN_FLIGHT)),
    CONCURRENCY_LIMIT(scraped(MetricNames.CONCURRENCY_LIMIT)),
    CONCURRENCY_SHARE(scraped(MetricNames.CONCURRENCY_SHARE)),
    CONCURRENCY_MAX(scraped(MetricNames.CONCURRENCY_MAX)),
    WORKER_READY(scraped(MetricNames.WORKER_READY)),
    GIVON_CIRCUIT_OPEN(scraped(MetricNames.GIVON_CIRCUIT_OPEN)),
    GIVON_KEY_REFUSED(scraped(MetricNames.GIVON_KEY_REFUSED)),
    GIVON_EXCHANGES(scraped(MetricNames.GIVON_EXCHANGES) + "_total"),
    BUDGET_TOKENS(scraped(MetricNames.BUDGET_TOKENS)),
    BUDGET_LIMITED(scraped(MetricNames.BUDGET_LIMITED)),
    BUDGET_WINDOW(scraped(MetricNames.BUDGET_WINDOW) + "_seconds");

    /** Of {@link #GIVON_EXCHANGES}: every class a worker counts, in the order the dashboard shows them. */
    static final List<String> ANSWER_CLASSES = List.of("2xx", "4xx", "429", "5xx", "other", "connection", "no_response");
    /** Of {@link #BUDGET_TOKENS}. */
    static final List<String> BUDGET_STATES = List.of("spent", "reserved", "limit", "remaining");
    static final String TAG_CLASS = MetricNames.TAG_CLASS;
    static final String TAG_TENANT = MetricNames.TAG_TENANT;
    static final String TAG_STATE = MetricNames.TAG_STATE;
    /** Most budget keys kept from one scrape; a worker has one per configured tenant plus {@code default}. */
    static final int MAX_BUDGETS = 1_000;

    private static final Map<String, WorkerMetricNames> BY_NAME = new HashMap<>();

    static {
        for (WorkerMetricNames series : values()) {
            BY_NAME.put(series.scraped, series);
        }
    }

    final String scraped;

    WorkerMetricNames(String scraped) {
        this.scraped = scraped;
    }

    /** The series a scraped sample belongs to, or null when the fleet view does not read it. */
    static WorkerMetricNames of(String name) {
        return BY_NAME.get(name);
    }

    private static String scraped(String meterName) {
        return meterName.replace('.', '_');
    }
}
