package dev.troupe.bench;

import dev.troupe.givon.sim.GivonSimulator;
import io.vertx.core.Vertx;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Steady-state throughput of one system under test at one (C, L): a fresh topic, simulator and
 * result reader; a feed that keeps the topic ahead of the consumer; a warm-up; then a window that
 * ends once it holds {@code targetJobs} results (and lasted {@code minWindow}) or at its cap.
 * Throughput counts results by the time they were written.
 */
final class ThroughputProbe {

    /**
     * How long to warm up and how long a window may run: up to {@code longWindow} where Little's bound
     * lets {@code targetJobs} finish within it, else up to {@code shortWindow} (those rows count fewer
     * jobs; the whole run has to stay under 10 minutes).
     */
    record Window(Duration warmup, long targetJobs, Duration minWindow, Duration shortWindow, Duration longWindow) {

        Duration capFor(double boundJobsPerSecond) {
            return targetJobs / boundJobsPerSecond <= longWindow.toSeconds() ? longWindow : shortWindow;
        }
    }

    private static final Duration FIRST_RESULT_TIMEOUT = Duration.ofSeconds(60);
    /** Partitions of each measurement's jobs topic (and state topic). */
    static final int PARTITIONS = 12;

    private final BenchKafka kafka;
    private final Vertx simulatorVertx;
    private final Progress progress;

    ThroughputProbe(BenchKafka kafka, Vertx simulatorVertx, Progress progress) {
        this.kafka = kafka;
        this.simulatorVertx = simulatorVertx;
        this.progress = progress;
    }

    ThroughputSample measure(String name, Subject.Kind kind, int concurrency, Latency latency, Window window) {
        return measure(name, kind, concurrency, latency, window, UnaryOperator.identity());
    }

    /** @param tailor changes the deployment the probe would give the system (the journal off, say) */
    ThroughputSample measure(String name, Subject.Kind kind, int concurrency, Latency latency, Window window,
                             UnaryOperator<Deployment> tailor) {
        return measure(name, kind, concurrency, latency, window, tailor, null, stage -> { });
    }

    /**
     * @param tenant     the tenant every job carries (the budget it is charged to), or null for none
     * @param beforeDrop given the measurement's topics once the system has closed, before they are deleted
     *                   (to read what it left on them); not called when the measurement failed before
     */
    ThroughputSample measure(String name, Subject.Kind kind, int concurrency, Latency latency, Window window,
                             UnaryOperator<Deployment> tailor, String tenant, Consumer<BenchKafka.Stage> beforeDrop) {
        try {
            ThroughputSample sample = run(name, kind, concurrency, latency, window, tailor, tenant, beforeDrop);
            progress.say("%s %s C=%d L=%s: %,d jobs in %.1f s = %,.1f jobs/s (bound %s), peak at Givon %d, CPU cores: bench %.2f "
                            + "(%s's threads %.2f s per 1,000 jobs), steal %.2f, other processes %.2f",
                    name, kind.label(), concurrency, latency, sample.jobs(), sample.windowSeconds(), sample.jobsPerSecond(),
                    Format.rate(latency.boundJobsPerSecond(concurrency)), sample.peakAtGivon(),
                    sample.cpu().benchCores(), kind.label(), sample.subjectCpuSecondsPerThousand(), sample.cpu().stealCores(),
                    sample.cpu().otherCores());
            return sample;
        } catch (Exception e) {
            progress.say("%s %s C=%d L=%s FAILED: %s", name, kind.label(), concurrency, latency, e);
            return ThroughputSample.failed(kind, concurrency, latency, e.toString());
        }
    }

    private ThroughputSample run(String name, Subject.Kind kind, int concurrency, Latency latency, Window window,
                                 UnaryOperator<Deployment> tailor, String tenant, Consumer<BenchKafka.Stage> beforeDrop)
            throws Exception {
        long t = System.nanoTime();
        BenchKafka.Stage stage = kafka.stage(name + "-" + kind.name().toLowerCase(java.util.Locale.ROOT), PARTITIONS);
        GivonSimulator simulator = GivonSimulator.start(simulatorVertx, latency.simulator().build())
                .await(10, TimeUnit.SECONDS);
        boolean measured = false;
        // A producer per measurement: one stuck idempotent batch must not starve the next measurement.
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("feed-" + stage.name());
             ResultLog results = new ResultLog(kafka.bootstrapServers(), stage.topics().results(), false)) {
            progress.debug("  topics, simulator, reader: %d ms", since(t));
            long starting = System.nanoTime();
            Subject subject = kind.start(tailor.apply(Deployment.of(kafka, stage, simulator.baseUrl(), concurrency, latency)));
            try {
                Waits.until("the consumer is assigned", Duration.ofSeconds(30), subject::ready);
                long readyMillis = since(starting);
                progress.debug("  started and assigned: %d ms", since(t));
                long backlog = Math.max(4L * concurrency, 1_000) + concurrency + 1_000;
                try (JobFeed feed = JobFeed.continuous(producer, stage.topics().jobs(), stage.name(), tenant, results::count,
                        backlog)) {
                    Waits.until("a first result", FIRST_RESULT_TIMEOUT, () -> results.count() > 0);
                    long firstResultMillis = since(starting);
                    progress.debug("  first result: %d ms", since(t));
                    // The warm-up counts from the first result: the pipeline is only then full.
                    Waits.sleepUntil(System.nanoTime() + window.warmup().toNanos());
                    ThroughputSample sample = window(kind, concurrency, latency, window, results, simulator, subject, stage,
                            readyMillis, firstResultMillis);
                    if (feed.failure() != null) {
                        throw new IllegalStateException("the job feed failed: " + feed.failure(), feed.failure());
                    }
                    progress.debug("  window done: %d ms", since(t));
                    measured = true;
                    return sample;
                }
            } finally {
                subject.close();
                progress.debug("  closed: %d ms", since(t));
            }
        } finally {
            simulator.close().await(10, TimeUnit.SECONDS);
            try {
                if (measured) {
                    beforeDrop.accept(stage);
                }
            } finally {
                kafka.drop(stage);
            }
            progress.debug("  dropped: %d ms", since(t));
        }
    }

    private static long since(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private ThroughputSample window(Subject.Kind kind, int concurrency, Latency latency, Window window, ResultLog results,
            GivonSimulator simulator, Subject subject, BenchKafka.Stage stage, long readyMillis, long firstResultMillis)
            throws InterruptedException {
        long t0 = System.currentTimeMillis();
        ThreadCpuMeter.Reading threads0 = ThreadCpuMeter.read();
        long jit0 = jitMillis();
        CpuMeter.Reading cpu0 = CpuMeter.read();
        long min = window.minWindow().toMillis();
        long max = window.capFor(latency.boundJobsPerSecond(concurrency)).toMillis();
        while (true) {
            TimeUnit.MILLISECONDS.sleep(200);
            long elapsed = System.currentTimeMillis() - t0;
            long n = results.countWritten(t0, t0 + elapsed);
            if ((n >= window.targetJobs() && elapsed >= min) || elapsed >= max) {
                break;
            }
        }
        long t1 = System.currentTimeMillis();
        CpuMeter.Use cpu = CpuMeter.between(cpu0, CpuMeter.read());
        long jit1 = jitMillis();
        ThreadCpuMeter.Use subjectCpu = ThreadCpuMeter.between(threads0, ThreadCpuMeter.read(), subject::ownsThread,
                name -> ThreadCpuMeter.groupName(name, stage.groupId()));
        Map<String, Map<String, Double>> producers = ProducerMetrics.read(clientId -> clientId.contains(stage.groupId()),
                clientId -> ThreadCpuMeter.groupName(clientId, stage.groupId()));
        // Results written before t1 may still be on their way to the reader.
        long jobs = Waits.settled(() -> results.countWritten(t0, t1), Duration.ofMillis(300), Duration.ofSeconds(5));
        int peak = simulator.ledger().snapshot().peakConcurrentGenerations();
        return new ThroughputSample(kind, concurrency, latency, jobs, (t1 - t0) / 1000.0, peak, results.duplicates(), cpu,
                subjectCpu, readyMillis, firstResultMillis, jit0 < 0 || jit1 < 0 ? -1 : (jit1 - jit0) / 1000.0, producers, null);
    }

    /** Milliseconds the JIT has spent compiling so far, or -1 where the JVM does not say. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }
}
