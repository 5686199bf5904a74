package dev.troupe.cli.dashboard.fleet;

import dev.troupe.client.KafkaConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard knows of the running workers: each endpoint's {@code /metrics} (all scraped in
 * parallel, each within {@link #SCRAPE_TIMEOUT} and {@link #MAX_BODY_BYTES}) and the group's lag on the
 * jobs topic (read on the {@value LagProbe#THREAD} thread, within {@link #LAG_TIMEOUT}), refreshed every
 * {@code interval} after the previous probe ended (probes never overlap; one whose Kafka does not answer
 * takes up to the lag timeout). A failed scrape is a worker {@code up: false} with an error, failed lag
 * reading a lag with an error: nothing of either reaches the caller as an exception.
 *
 * <p>The probe runs on one Vert.x context of its own and never blocks it.
 */
public final class FleetProbe implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);
    /** Largest {@code /metrics} body read: a worker's is about 100 KiB; beyond this it is {@code up: false}. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** Longest wait for each Kafka admin call of a lag reading (capped by the connection's own timeout). */
    public static final Duration LAG_TIMEOUT = Duration.ofSeconds(5);
    /** Most endpoints probed; a fleet scraped by one dashboard is a handful of workers. */
    public static final int MAX_ENDPOINTS = 256;
    /** Longest error text kept for a worker (a transport's message can quote much). */
    static final int MAX_ERROR_CHARS = 300;
    /** Bodies above this are parsed on a worker thread, not the probe's event loop. */
    private static final int PARSE_INLINE_BYTES = 512 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FleetProbe.class);

    private final Vertx vertx;
    private final Context context;
    private final Clock clock;
    private final List<URI> endpoints;
    private final Duration interval;
    private final MetricsScraper scraper;
    private final LagProbe lag;
    private final AtomicReference<FleetSnapshot> latest;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile long timerId = -1;

    private FleetProbe(Vertx vertx, KafkaConnection kafka, String groupId, String jobsTopic, List<URI> endpoints, Duration interval,
                       Clock clock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.clock = clock;
        this.endpoints = List.copyOf(endpoints);
        this.interval = interval;
        this.scraper = new MetricsScraper(vertx, SCRAPE_TIMEOUT, MAX_BODY_BYTES);
        Duration lagTimeout = kafka.timeout().compareTo(LAG_TIMEOUT) < 0 ? kafka.timeout() : LAG_TIMEOUT;
        this.lag = new LagProbe(kafka, groupId, jobsTopic, lagTimeout);
        this.latest = new AtomicReference<>(FleetSnapshot.empty(clock.instant(), groupId, jobsTopic));
    }

    /**
     * Starts probing (the first probe at once); never blocks the caller's event loop.
     *
     * @param metricsEndpoints each worker's metrics URL, e.g. {@code http://127.0.0.1:9464/metrics} (http or https, at most
     *                         {@value #MAX_ENDPOINTS})
     * @param interval         the pause between two probes, positive ({@link #DEFAULT_INTERVAL} is 2 s)
     * @throws IllegalArgumentException naming the endpoint or value that is not acceptable
     */
    public static FleetProbe start(Vertx vertx, KafkaConnection kafka, String groupId, String jobsTopic, List<URI> metricsEndpoints,
                                   Duration interval) {
        return start(vertx, kafka, groupId, jobsTopic, metricsEndpoints, interval, Clock.systemUTC());
    }

    /** The same, with {@code clock} for the snapshots' {@code at}. */
    public static FleetProbe start(Vertx vertx, KafkaConnection kafka, String groupId, String jobsTopic, List<URI> metricsEndpoints,
                                   Duration interval, Clock clock) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(clock, "clock");
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("the workers' group id must be set");
        }
        if (jobsTopic == null || jobsTopic.isBlank()) {
            throw new IllegalArgumentException("the jobs topic must be set");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the fleet probe interval must be positive, got " + interval);
        }
        if (metricsEndpoints.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException(metricsEndpoints.size() + " metrics endpoints; at most " + MAX_ENDPOINTS + " are probed");
        }
        for (URI endpoint : metricsEndpoints) {
            String scheme = endpoint.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("metrics endpoint " + endpoint + " must be an http(s) URL with a host, e.g. "
                        + "http://127.0.0.1:9464/metrics");
            }
        }
        FleetProbe probe = new FleetProbe(vertx, kafka, groupId, jobsTopic, metricsEndpoints, interval, clock);
        probe.context.runOnContext(ignored -> probe.probe());
        return probe;
    }

    /** The latest snapshot; never null (an empty one before the first probe). Any thread. */
    public FleetSnapshot latest() {
        return latest.get();
    }

    /**
     * Called after each probe whose snapshot differs (apart from its time) from the one before, on the
     * probe's event loop: a listener must not block. A listener's exception is logged and ignored.
     */
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops the timer, then the lag thread and its admin client (waiting at most 3 s for a reading under
     * way, not at all when called on an event loop) and the HTTP client. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long timer = timerId;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        lag.close(Context.isOnEventLoopThread() ? Duration.ZERO : Duration.ofSeconds(3));
        scraper.close();
    }

    /** One probe, on {@link #context}; schedules the next when it ends. */
    private void probe() {
        if (closed) {
            return;
        }
        List<Future<WorkerScrape>> scrapes = endpoints.stream().map(this::scrape).toList();
        Future<ConsumerLag> lagRead = Future.fromCompletionStage(lag.probe(), context);
        Future.join(List.of(Future.join(scrapes), lagRead)).onComplete(ignored -> context.runOnContext(done -> {
            if (closed) {
                return; // what a close cut short (an interrupted lag reading) is not news
            }
            publish(new FleetSnapshot(clock.instant(), scrapes.stream().map(Future::result).toList(), lagRead.result()));
            timerId = vertx.setTimer(Math.max(1, interval.toMillis()), id -> context.runOnContext(next -> probe()));
        }));
    }

    private Future<WorkerScrape> scrape(URI endpoint) {
        String name = endpoint.toString();
        return scraper.scrape(endpoint)
                .compose(body -> body.length() <= PARSE_INLINE_BYTES ? Future.succeededFuture(PrometheusText.parse(body))
                        : vertx.executeBlocking(() -> PrometheusText.parse(body), false))
                .map(parsed -> WorkerScrape.of(name, parsed))
                .otherwise(error -> WorkerScrape.down(name, why(error)));
    }

    static String why(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            message = error.getClass().getSimpleName();
        }
        return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private void publish(FleetSnapshot snapshot) {
        FleetSnapshot before = latest.getAndSet(snapshot);
        if (snapshot.sameFiguresAs(before)) {
            return;
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("A fleet listener failed: {}", e.toString());
            }
        }
    }
}
