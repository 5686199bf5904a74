package dev.troupe.bench;

import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.worker.Worker;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.runner.RetryPolicy;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Troupe worker (one or more in this JVM, one consumer group), on a Vert.x of its own. */
final class TroupeSubject implements Subject {

    /** HTTP/1.1 connections per worker to the simulator; requests are short, so more only cost. */
    private static final int MAX_POOL = 256;

    private final Vertx vertx;
    private final List<Worker> workers;

    private TroupeSubject(Vertx vertx, List<Worker> workers) {
        this.vertx = vertx;
        this.workers = workers;
    }

    static TroupeSubject start(Deployment d) {
        Vertx vertx = Vertx.vertx();
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
        return new TroupeSubject(vertx, workers);
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
                .retry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(200)))
                .budget(d.budget())
                .revocationGrace(Duration.ofSeconds(2))
                .shutdownGrace(Duration.ofSeconds(3));
        d.maxUnfinished().ifPresent(builder::maxUnfinishedRecords);
        return builder.build();
    }

    List<Worker> workers() {
        return workers;
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
