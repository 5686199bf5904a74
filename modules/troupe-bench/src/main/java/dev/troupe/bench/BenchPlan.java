package dev.troupe.bench;

import dev.troupe.worker.limit.ConcurrencyConfig;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The order of a run: the decode rows first (one thread, seconds, before anything else has loaded the
 * machine), the journal rows, the transaction hold (child JVMs killed, mostly waiting on the broker),
 * a JIT warm-up of both systems, the dispatch ceiling, the utilization rows, the journal cost's rounds
 * of setups a, b, c (with a warm-up of their own), the budget cost's reservation round trip and rounds
 * of setups a, b (the same), the correctness batch, and the memory rows
 * last (the baseline's thousands of threads should not linger into a throughput figure). Collects the
 * notes a reader needs next to the figures.
 */
final class BenchPlan {

    private final BenchOptions options;
    private final Progress progress;
    private final ThroughputProbe throughput;
    private final CorrectnessProbe correctness;
    private final MemoryProbe memory;
    private final DecodeProbe decode;
    private final JournalProbe journal;
    private final JournalCostProbe journalCost;
    private final BudgetCostProbe budgetCost;
    private final TransactionHoldProbe transactionHold;
    /** Exercises the status-polling loop too, which L = 0 never reaches. */
    private static final Latency WARMUP_LATENCY = Latency.ofMillis(50);

    private final List<String> notes = new ArrayList<>();

    /** {@code kafka} is null when no selected section needs the broker ({@link BenchOptions#needsBroker()}). */
    BenchPlan(BenchOptions options, BenchKafka kafka, Vertx simulatorVertx, Progress progress) {
        this.options = options;
        this.progress = progress;
        this.throughput = new ThroughputProbe(kafka, simulatorVertx, progress);
        this.correctness = new CorrectnessProbe(kafka, simulatorVertx, progress);
        this.memory = new MemoryProbe(kafka, progress);
        this.decode = new DecodeProbe(progress);
        this.journal = new JournalProbe(kafka, simulatorVertx, progress);
        this.journalCost = new JournalCostProbe(throughput, progress);
        this.budgetCost = new BudgetCostProbe(kafka, throughput, new BudgetLogProbe(kafka, simulatorVertx, progress), progress);
        this.transactionHold = new TransactionHoldProbe(kafka, progress);
    }

    /** Measurements of one run, in report order. */
    record Results(List<DecodeSample> decode, JournalSample journal, TransactionHoldProbe.Result transactionHold,
            ThroughputRow dispatch, List<ThroughputRow> utilization,
            JournalCostProbe.Result journalCost, BudgetCostProbe.Result budgetCost, CorrectnessProbe.Load correctnessLoad, List<CorrectnessSample> correctness, List<MemorySample> memory,
            List<String> notes) {}

    Results run() {
        Set<BenchOptions.Section> sections = options.sections();
        List<DecodeSample> decoded = List.of();
        if (sections.contains(BenchOptions.Section.DECODE)) {
            decoded = decode.measure(options.decode());
            noteDecode();
        }
        JournalSample journaled = null;
        if (sections.contains(BenchOptions.Section.JOURNAL)) {
            journaled = measureJournal();
        }
        TransactionHoldProbe.Result held = null;
        if (sections.contains(BenchOptions.Section.TRANSACTION_HOLD)) {
            try {
                held = transactionHold.measure(options.transactionHold());
                notes.addAll(TransactionHoldProbe.notes(held));
            } catch (Exception e) {
                notes.add("Transaction hold: not measured, the probe failed: " + e);
                progress.say("transaction hold: failed: %s", e);
            }
        }
        if (sections.contains(BenchOptions.Section.DISPATCH) || sections.contains(BenchOptions.Section.UTILIZATION)) {
            warmUp();
        }
        ThroughputRow dispatch = sections.contains(BenchOptions.Section.DISPATCH)
                ? row("dispatch", BenchOptions.DISPATCH_CONCURRENCY, new Latency(Duration.ZERO)) : null;
        List<ThroughputRow> utilization = new ArrayList<>();
        if (sections.contains(BenchOptions.Section.UTILIZATION)) {
            for (int c : options.concurrencies()) {
                for (long l : options.latenciesMillis()) {
                    utilization.add(row("util-c" + c + "-l" + l, c, Latency.ofMillis(l)));
                }
            }
            noteShortRows(utilization);
            notePolling();
        }
        JournalCostProbe.Result costs = null;
        if (sections.contains(BenchOptions.Section.JOURNAL_COST)) {
            costs = journalCost.measure(options.journalCost());
            notes.addAll(JournalCostProbe.notes(costs));
        }
        BudgetCostProbe.Result budgetCosts = null;
        if (sections.contains(BenchOptions.Section.BUDGET_COST)) {
            budgetCosts = budgetCost.measure(options.budgetCost(), options.budgetLog());
            notes.addAll(BudgetCostProbe.notes(budgetCosts));
        }
        CorrectnessProbe.Load load = new CorrectnessProbe.Load(options.correctnessJobs(), 256, Latency.ofMillis(50), 0.01, 0.9);
        List<CorrectnessSample> checks = new ArrayList<>();
        if (sections.contains(BenchOptions.Section.CORRECTNESS)) {
            for (Subject.Kind kind : options.subjects()) {
                checks.add(correctness.measure(kind, load));
            }
        }
        List<MemorySample> memorySamples = new ArrayList<>();
        if (sections.contains(BenchOptions.Section.MEMORY)) {
            int largest = options.memoryInFlight().stream().mapToInt(Integer::intValue).max().orElse(0);
            for (int n : options.memoryInFlight()) {
                memorySamples.addAll(memoryRow(n, n == largest));
            }
            noteMemory();
        }
        if (dispatch != null || !utilization.isEmpty()) {
            noteCpu(dispatch, utilization);
        }
        if (dispatch != null || !utilization.isEmpty()) {
            notes.add("Troupe runs with the worker's defaults: its journal on (each job waits for two acknowledged writes to "
                    + "the state topic, its intent before the POST and its generation after) and exactly-once results (results, "
                    + "journal outcomes and offsets in one transaction every 100 ms); bench/run --only journal-cost measures "
                    + "both on and off.");
        }
        if (dispatch != null) {
            notes.add("Dispatch ceiling: L = 0 is the simulator's fixed generation time of zero, the smallest it allows: a "
                    + "generation is finished when created, so the status read right after the submission finds it terminal.");
        }
        return new Results(decoded, journaled, held, dispatch, utilization, costs, budgetCosts, load, checks, memorySamples, List.copyOf(notes));
    }

    private void noteDecode() {
        DecodeProbe.Timing t = options.decode();
        notes.add(String.format(Locale.ROOT, "Decode rows: JobCodec.defaults().decode(bytes), the worker's own decoding and "
                + "validation, on one thread with nothing else running in it; each record was decoded for %d ms first (all "
                + "of them, so the JIT compiled their shared paths), then timed call by call for %d ms and at least %d calls. "
                + "The worker decodes on its consumer thread, so a call's time is also how long that record holds the poll "
                + "loop. A max includes whatever the JVM did meanwhile (a garbage collection: a 1,000,000-byte record "
                + "allocates a few MB per call; max heap %s).", t.warmup().toMillis(), t.window().toMillis(), t.minCalls(),
                Format.mebibytes(Runtime.getRuntime().maxMemory())));
    }

    private JournalSample measureJournal() {
        try {
            JournalSample sample = journal.measure(options.journal());
            notes.add(String.format(Locale.ROOT, "Journal rows: KafkaJobJournal on the in-JVM broker (one replica; acks=all is "
                    + "the leader alone here), linger 1 ms. A write is timed from record() on a Vert.x event loop to its future "
                    + "completing there, one at a time after %,d untimed ones, as a job's intent is written before its POST; "
                    + "the pipelined pace is %,d writes (submitting and accepted per job, finished for a tenth) with at most %d "
                    + "unacknowledged. A restore is timed from recover() to its future completing, fresh consumer included: "
                    + "it reads the whole partition (%,d records) and keeps the latest entry of each of the %,d jobs.",
                    options.journal().warmupWrites(), sample.pipelinedWrites(), sample.inFlight(), sample.records(), sample.jobs()));
            return sample;
        } catch (Exception e) {
            notes.add("Journal rows: not measured, the probe failed: " + e);
            progress.say("journal: failed: %s", e);
            return null;
        }
    }

    private void warmUp() {
        Duration d = options.jitWarmup();
        progress.say("JIT warm-up: each system runs %d s at C = %d, L = %s (not reported)", d.toSeconds(),
                BenchOptions.DISPATCH_CONCURRENCY, WARMUP_LATENCY);
        ThroughputProbe.Window window = new ThroughputProbe.Window(Duration.ZERO, Long.MAX_VALUE, d, d, d);
        for (Subject.Kind kind : options.subjects()) {
            throughput.measure("warmup", kind, BenchOptions.DISPATCH_CONCURRENCY, WARMUP_LATENCY, window);
        }
        notes.add(String.format(Locale.ROOT, "Before the first figure each system ran %d s at C = %d, L = %s, unreported, "
                + "so that the JIT had compiled its path (submit, poll loop, publish); every throughput window also follows a "
                + "%d s warm-up of its own.", d.toSeconds(), BenchOptions.DISPATCH_CONCURRENCY, WARMUP_LATENCY,
                options.window().warmup().toSeconds()));
    }

    private ThroughputRow row(String name, int concurrency, Latency latency) {
        ThroughputSample troupe = options.subjects().contains(Subject.Kind.TROUPE)
                ? throughput.measure(name, Subject.Kind.TROUPE, concurrency, latency, options.window()) : null;
        ThroughputSample baseline = options.subjects().contains(Subject.Kind.BASELINE)
                ? throughput.measure(name, Subject.Kind.BASELINE, concurrency, latency, options.window()) : null;
        return new ThroughputRow(concurrency, latency, troupe, baseline);
    }

    private void noteShortRows(List<ThroughputRow> rows) {
        ThroughputProbe.Window w = options.window();
        for (ThroughputRow row : rows) {
            List<String> counted = new ArrayList<>();
            boolean short_ = false;
            for (ThroughputSample s : new ThroughputSample[] {row.troupe(), row.baseline()}) {
                if (s != null && s.ok()) {
                    counted.add(s.subject().label() + " " + Format.count(s.jobs()));
                    short_ |= s.jobs() < w.targetJobs();
                }
            }
            if (short_) {
                double needed = w.targetJobs() / row.bound();
                long cap = w.capFor(row.bound()).toSeconds();
                String why = cap == w.longWindow().toSeconds()
                        ? String.format(Locale.ROOT, "the window runs at most %d s (the longest any row gets) and the system "
                                + "that counted fewer ran below the bound", cap)
                        : String.format(Locale.ROOT, "%s jobs take at least %.0f s per system at the bound, so the window is "
                                + "capped at %d s to keep the whole run under 10 minutes", Format.count(w.targetJobs()), needed, cap);
                notes.add(String.format(Locale.ROOT, "C = %d, L = %s: fewer than %s jobs (%s). Little's bound is %s jobs/s; %s.",
                        row.concurrency(), row.latency(), Format.count(w.targetJobs()), String.join(", ", counted),
                        Format.rate(row.bound()), why));
            }
        }
    }

    private void noteCpu(ThroughputRow dispatch, List<ThroughputRow> utilization) {
        notes.add("CPU cores, over each window: bench = this JVM (broker, simulator, the system under test, the harness) "
                + "plus the kernel's interrupt time, mostly loopback networking; competing = time the hypervisor gave to other "
                + "virtual machines (steal) plus other processes. Two cores in all: a row whose bench figure is near 2 is "
                + "CPU-bound, and its throughput says how much work per job each system costs, not how close it comes to C / L.");
        List<ThroughputRow> rows = new ArrayList<>(utilization);
        if (dispatch != null) {
            rows.add(0, dispatch);
        }
        List<String> disturbed = new ArrayList<>();
        for (ThroughputRow row : rows) {
            for (ThroughputSample s : new ThroughputSample[] {row.troupe(), row.baseline()}) {
                if (s != null && s.ok() && s.cpu().competingCores() > 0.25) {
                    disturbed.add(String.format(Locale.ROOT, "%s at C = %d, L = %s (%.2f cores: steal %.2f, other %.2f)",
                            s.subject().label(), row.concurrency(), row.latency(), s.cpu().competingCores(),
                            s.cpu().stealCores(), s.cpu().otherCores()));
                }
            }
        }
        if (!disturbed.isEmpty()) {
            notes.add("Windows that had to share the CPU (more than 0.25 cores competing): " + String.join("; ", disturbed)
                    + ". Where such a row is CPU-bound, its figure is lower than on a quiet machine.");
        }
    }

    private void notePolling() {
        List<String> ceilings = new ArrayList<>();
        for (long l : options.latenciesMillis()) {
            ceilings.add(String.format(Locale.ROOT, "%.2f at L = %d ms", Latency.ofMillis(l).pollingCeiling(), l));
        }
        notes.add("Status polling, the same for both systems: one read right after the submission, then waits drawn "
                + "uniformly in [0, L/4] (PollBackoff(L/4, L/4, 1.0)), about ten reads per job. A generation is seen "
                + "finished only at the next read, so the pace alone caps utilization at " + String.join(" and ", ceilings)
                + " (expected first read at or after L, estimated by drawing the schedule).");
    }

    /** The queued arrangement only for the largest N: it costs time, and one figure shows what it costs. */
    private List<MemorySample> memoryRow(int inFlight, boolean withQueued) {
        List<MemorySample> samples = new ArrayList<>();
        if (options.subjects().contains(Subject.Kind.TROUPE)) {
            samples.add(memory.troupe(MemoryProbe.Arrangement.ALL_AT_GIVON, inFlight));
            if (withQueued && inFlight > ConcurrencyConfig.MAX_CONCURRENCY_CEILING) {
                samples.add(memory.troupe(MemoryProbe.Arrangement.ONE_WORKER_QUEUED, inFlight));
            }
        }
        if (options.subjects().contains(Subject.Kind.BASELINE)) {
            samples.add(memory.baseline(inFlight));
        }
        return samples;
    }

    private void noteMemory() {
        notes.add(String.format(Locale.ROOT, "Memory: one worker's C is at most %,d (ConcurrencyConfig), so N generations at "
                + "Givon take N / %,d workers; they run in this JVM, one partition each, and the idle reading already holds "
                + "every worker, so the figure is the cost of the jobs alone. The second arrangement (largest N only) keeps N "
                + "records in one worker (maxUnfinishedRecords = N): %,d are generations, the rest wait admitted, with their budget reserved, "
                + "for a slot. Generations last an hour (simulator in a child JVM, no compression); a job counts as held once "
                + "the simulator shows its generation and its first status read, and the worker's limiter and budget agree.",
                ConcurrencyConfig.MAX_CONCURRENCY_CEILING, ConcurrencyConfig.MAX_CONCURRENCY_CEILING,
                ConcurrencyConfig.MAX_CONCURRENCY_CEILING));
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        boolean heapPreTouched = jvm.contains("-XX:+AlwaysPreTouch")
                && jvm.stream().anyMatch(a -> a.startsWith("-Xms")) && jvm.stream().anyMatch(a -> a.startsWith("-Xmx"));
        notes.add("The baseline holds a job with a platform thread asleep between status reads, so much of its cost is off "
                + "the heap (the thread's stack, its HTTP connection's buffers). The off-heap column is the growth of resident "
                + "memory, a process-wide figure, coarse at a few hundred bytes per job. "
                + (heapPreTouched
                        ? "This JVM committed and touched its whole heap at start (-Xms, -Xmx, -XX:+AlwaysPreTouch), so resident "
                                + "memory grew only off the heap."
                        : "This JVM did not commit and touch its whole heap at start (BENCH_JAVA_OPTS without -Xms, -Xmx and "
                                + "-XX:+AlwaysPreTouch), so that column includes heap growth and does not measure off-heap memory."));
    }
}
