package dev.troupe.bench;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.Tokens;
import dev.troupe.worker.Worker;
import dev.troupe.worker.limit.ConcurrencyConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Heap per job in flight. The simulator runs in a child JVM with generations that last an hour, the
 * system under test starts and joins its group, the heap is read after GC, N jobs are produced in one
 * transaction (so a read_committed consumer sees them all at once), and once every job has been
 * submitted and read once the heap is read again after GC.
 */
final class MemoryProbe {

    /** How Troupe holds N jobs, given that one worker's C is at most {@value ConcurrencyConfig#MAX_CONCURRENCY_CEILING}. */
    enum Arrangement {
        /** N / 5,000 workers in this JVM, each with C = 5,000 on its own partition: every job is a live generation. */
        ALL_AT_GIVON,
        /** One worker, C = 5,000, maxUnfinishedRecords = N: 5,000 live generations, the rest admitted and queued. */
        ONE_WORKER_QUEUED
    }

    private static final int MAX_C = ConcurrencyConfig.MAX_CONCURRENCY_CEILING;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final BenchKafka kafka;
    private final Progress progress;

    MemoryProbe(BenchKafka kafka, Progress progress) {
        this.kafka = kafka;
        this.progress = progress;
    }

    static String describe(Arrangement arrangement, int inFlight) {
        return switch (arrangement) {
            case ALL_AT_GIVON -> {
                int workers = workersFor(inFlight);
                yield String.format(Locale.ROOT, "%d worker%s x C = %,d, all at Givon", workers, workers == 1 ? "" : "s",
                        inFlight / workers);
            }
            case ONE_WORKER_QUEUED -> String.format(Locale.ROOT, "1 worker, C = %,d at Givon, %,d queued in the worker",
                    Math.min(MAX_C, inFlight), Math.max(0, inFlight - MAX_C));
        };
    }

    static String describeBaseline(int inFlight) {
        return String.format(Locale.ROOT, "%,d platform threads, one blocked per job", inFlight);
    }

    private static int workersFor(int inFlight) {
        return (inFlight + MAX_C - 1) / MAX_C;
    }

    MemorySample troupe(Arrangement arrangement, int inFlight) {
        String label = describe(arrangement, inFlight);
        try {
            int workers = arrangement == Arrangement.ALL_AT_GIVON ? workersFor(inFlight) : 1;
            int concurrency = arrangement == Arrangement.ALL_AT_GIVON ? inFlight / workers : Math.min(MAX_C, inFlight);
            long atGivon = (long) workers * concurrency;
            BenchKafka.Stage stage = kafka.stage("memory-troupe-" + inFlight, workers);
            try (SimulatorProcess simulator = SimulatorProcess.start(Latency.hold().real())) {
                Deployment d = Deployment.of(kafka, stage, simulator.baseUrl(), concurrency, Latency.hold())
                        .withWorkers(workers)
                        .withMaxUnfinished(arrangement == Arrangement.ALL_AT_GIVON ? concurrency : inFlight);
                TroupeSubject subject = TroupeSubject.start(d);
                try {
                    Tokens allReserved = Tokens.of(JobRecords.TOKENS_PER_JOB).times(inFlight);
                    return measure(Subject.Kind.TROUPE, label, inFlight, atGivon, workers, subject, stage, simulator,
                            () -> subject.workers().stream().mapToLong(w -> w.limiter().inFlight()).sum() == atGivon
                                    && subject.workers().stream().map(w -> w.budget().reserved(null))
                                            .reduce(Tokens.ZERO, Tokens::plus).equals(allReserved));
                } finally {
                    subject.close();
                }
            } finally {
                kafka.drop(stage);
            }
        } catch (Exception e) {
            progress.say("memory Troupe %s FAILED: %s", label, e);
            return MemorySample.skipped(Subject.Kind.TROUPE, label, inFlight, "failed: " + e);
        }
    }

    MemorySample baseline(int inFlight) {
        String label = describeBaseline(inFlight);
        String limit = ThreadLimits.whyNot(inFlight + 2_000);
        if (limit != null) {
            progress.say("memory baseline %,d: not run, %s", inFlight, limit);
            return MemorySample.skipped(Subject.Kind.BASELINE, label, inFlight, "not run: " + limit + " on this machine");
        }
        try {
            BenchKafka.Stage stage = kafka.stage("memory-baseline-" + inFlight, 10);
            try (SimulatorProcess simulator = SimulatorProcess.start(Latency.hold().real())) {
                Deployment d = Deployment.of(kafka, stage, simulator.baseUrl(), inFlight, Latency.hold());
                BlockingBaseline subject = BlockingBaseline.start(d);
                try {
                    return measure(Subject.Kind.BASELINE, label, inFlight, inFlight, 1, subject, stage, simulator,
                            () -> subject.jobsInHand() == inFlight);
                } finally {
                    subject.close();
                }
            } finally {
                kafka.drop(stage);
            }
        } catch (Exception e) {
            progress.say("memory baseline %,d FAILED: %s", inFlight, e);
            return MemorySample.skipped(Subject.Kind.BASELINE, label, inFlight, "failed: " + e);
        }
    }

    private MemorySample measure(Subject.Kind kind, String label, int inFlight, long atGivon, int members, Subject subject,
            BenchKafka.Stage stage, SimulatorProcess simulator, BooleanSupplier holding) throws Exception {
        long started = System.nanoTime();
        // A rebalance after the jobs arrive would hand running jobs to another member, which runs them again.
        Waits.until("a settled consumer group", Duration.ofSeconds(60),
                () -> subject.ready() && kafka.groupSettled(stage.groupId(), members, stage.jobPartitions()));
        progress.debug("  group settled: %d ms", since(started));
        // Threads of earlier measurements may still be ending.
        Waits.settled(() -> HeapReading.liveThreads(), Duration.ofSeconds(1), Duration.ofSeconds(15));
        HeapReading before = HeapReading.afterGc();
        kafka.produceAtOnce(stage, inFlight);
        progress.debug("  produced: %d ms", since(started));
        // Held = the system's own books show every job in hand (cheap to read: checked first) and the
        // simulator has a generation for each. The baseline may show more: it resubmits a POST that timed out.
        try {
            Waits.until(String.format(Locale.ROOT, "%,d jobs in flight", inFlight), SETTLE_TIMEOUT, Duration.ofMillis(250), () -> {
                if (!holding.getAsBoolean()) {
                    return false;
                }
                LedgerSnapshot ledger = ledgerOrNull(simulator);
                return ledger != null && ledger.activeGenerations() >= atGivon;
            });
            // Then let the submission storm end: most jobs wait on a timer, with no request in flight.
            long[] last = {-1};
            Waits.until("the requests to calm down", Duration.ofSeconds(30), Duration.ofMillis(500), () -> {
                LedgerSnapshot ledger = ledgerOrNull(simulator);
                long answered = ledger == null ? -1 : ledger.totalResponses();
                boolean calm = last[0] >= 0 && answered - last[0] < Math.max(10, inFlight / 200);
                last[0] = answered;
                return calm;
            });
        } catch (TimeoutException e) {
            LedgerSnapshot ledger = ledgerOrNull(simulator);
            throw new TimeoutException(e.getMessage() + "; simulator: " + (ledger == null ? "no answer" : ledger.activeGenerations()
                    + " active of " + ledger.generationsCreated() + " created, answers " + ledger.responsesByStatus()));
        }
        progress.debug("  in flight: %d ms", since(started));
        HeapReading after = HeapReading.afterGc();
        LedgerSnapshot ledger = simulator.ledger();
        MemorySample sample = new MemorySample(kind, label, inFlight, ledger.activeGenerations(), ledger.generationsCreated(),
                before.heapUsed(), after.heapUsed(), before.rss(), after.rss(), before.threads(), after.threads(),
                (System.nanoTime() - started) / 1e9, null);
        progress.say("memory %s %s: heap %s -> %s = %s bytes/job; RSS +%s bytes/job; threads %d -> %d",
                kind.label(), label, Format.mebibytes(before.heapUsed()), Format.mebibytes(after.heapUsed()),
                Format.bytes(sample.heapBytesPerJob()), Format.bytes(sample.rssBytesPerJob()),
                before.threads(), after.threads());
        return sample;
    }

    private static LedgerSnapshot ledgerOrNull(SimulatorProcess simulator) {
        try {
            return simulator.ledger();
        } catch (Exception e) {
            return null;
        }
    }

    private static long since(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
