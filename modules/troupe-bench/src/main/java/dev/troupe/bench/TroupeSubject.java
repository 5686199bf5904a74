package dev.troupe.bench;

import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.worker.Worker;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.runner.RetryPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Troupe worker (one or more in this JVM, one consumer group), on a Vert.x of its own. */
final class TroupeSubject implements Subject {

    /** HTTP/1.1 connections per worker to the simulator; requests are short, so more only cost. */
    private static final int MAX_POOL = 256;

    /**
     * Prefixes the names of this Vert.x's threads: the simulator's Vert.x, in the same JVM, names its
     * threads the same way, and the worker's CPU is counted by thread name ({@link #ownsThread}).
     */
    private static final String VERTX_THREAD_PREFIX = "subject-";

    private final Vertx vertx;
    private final List<Worker> workers;
    private final String groupId;

    private TroupeSubject(Vertx vertx, List<Worker> workers, String groupId) {
        this.vertx = vertx;
        this.workers = workers;
        this.groupId = groupId;
    }

    static TroupeSubject start(Deployment d) {
        Vertx vertx = namedVertx();
        List<Worker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < d.workers(); i++) {
                workers.add(Worker.start(vertx, config(d)));
            }
        } catch (RuntimeException e) {
            workers.forEach(Worker::close);
            vertx.close();
            throw e;
        }
        return new TroupeSubject(vertx, workers, d.stage().groupId());
    }

    /** {@code Vertx.vertx()} with prefixed thread names; Vert.x 5 sets a thread factory only through its bootstrap. */
    private static Vertx namedVertx() {
        VertxThreadFactory named = new VertxThreadFactory() {
            @Override
            public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                                              TimeUnit maxExecTimeUnit) {
                return VertxThreadFactory.super.newVertxThread(target, VERTX_THREAD_PREFIX + name, worker, maxExecTime,
                        maxExecTimeUnit);
            }
        };
        return VertxBootstrap.create().threadFactory(named).init().vertx();
    }

    static WorkerConfig config(Deployment d) {
        GivonConfig givon = GivonConfig.builder()
                .baseUrl(d.givonUrl())
                .apiKey(SimulatorConfig.DEFAULT_API_KEY)
                .pollBackoff(d.latency().pollBackoff())
                .responseTimeout(Duration.ofSeconds(10))
                .defaultFollowDeadline(d.latency().real().plusMinutes(10))
                .maxPoolSize(Math.min(d.concurrency(), MAX_POOL))
                .build();
        WorkerConfig.Builder builder = WorkerConfig.builder(d.bootstrapServers(), givon)
                .groupId(d.stage().groupId())
                .topics(d.stage().topics())
                .maxConcurrency(d.concurrency())
                .eventLoops(d.eventLoops())
                .retry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(200)))
                .budget(d.budget())
                .revocationGrace(Duration.ofSeconds(2))
                .shutdownGrace(Duration.ofSeconds(3));
        d.maxUnfinished().ifPresent(builder::maxUnfinishedRecords);
        if (!d.journal()) {
            builder.journal(new WorkerConfig.Journal(false, WorkerConfig.Journal.DEFAULT.retention()));
        }
        if (d.delivery() != WorkerConfig.Results.DEFAULT.delivery()) {
            WorkerConfig.Results r = WorkerConfig.Results.DEFAULT;
            builder.results(new WorkerConfig.Results(d.delivery(), r.commitInterval(), r.commitMaxOutcomes(), r.transactionTimeout()));
        }
        return builder.build();
    }

    List<Worker> workers() {
        return workers;
    }

    /**
     * The worker's Vert.x (event loops: runner, Givon client, result completions), its consumer thread,
     * result publisher and journal threads, and its Kafka clients' threads (their names carry the group).
     */
    @Override
    public boolean ownsThread(String threadName) {
        return threadName.startsWith(VERTX_THREAD_PREFIX) || threadName.startsWith("troupe-") || threadName.contains(groupId);
    }

    @Override
    public boolean ready() {
        return workers.stream().allMatch(Worker::ready);
    }

    @Override
    public void close() {
        // All at once: each drains for up to its shutdown grace.
        List<Thread> closing = workers.stream().map(w -> new Thread(w::close, "close-worker")).toList();
        closing.forEach(Thread::start);
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("closing the workers' Vert.x: " + e);
        }
    }
}
