package dev.troupe.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the journal costs Troupe end to end: the throughput probe's windows with the journal on and off,
 * alternating (on, off, on, off, ...) in one run, so that both see the same machine, broker and JIT.
 * With the journal on, each job waits for two acknowledged writes (its intent before the POST, its
 * generation after) and writes its outcome after its result; each assigned partition is paused while
 * its journal is read.
 */
final class JournalCostProbe {

    /**
     * @param pairs           on/off pairs per latency
     * @param jitWarmup       each warm-up window: every variant at every L, unreported, so that every path is compiled
     * @param maxWarmupRounds warm-up rounds at most, while the JIT has not settled ({@link #JIT_SETTLED})
     */
    record Plan(int concurrency, List<Long> latenciesMillis, int pairs, Duration jitWarmup, int maxWarmupRounds,
                ThroughputProbe.Window window) {}

    private final ThroughputProbe throughput;
    private final Progress progress;

    JournalCostProbe(ThroughputProbe throughput, Progress progress) {
        this.throughput = throughput;
        this.progress = progress;
    }

    /**
     * What one run measured.
     *
     * @param warmupJitShares per warm-up round, the share of its windows' time the JIT spent compiling
     */
    record Result(Plan plan, List<Double> warmupJitShares, List<JournalCostRow> rows) {}

    /**
     * The JIT has settled once it compiles for at most this share of a warm-up round (summed over its
     * compiler threads). On this 2-core machine it compiled for about the whole window for the first
     * three minutes of load, and the pairs measured meanwhile drifted up by 2x.
     */
    static final double JIT_SETTLED = 0.25;

    Result measure(Plan plan) {
        Duration d = plan.jitWarmup();
        ThroughputProbe.Window warm = new ThroughputProbe.Window(Duration.ZERO, Long.MAX_VALUE, d, d, d);
        List<Double> shares = new ArrayList<>();
        for (int round = 1; round <= plan.maxWarmupRounds(); round++) {
            progress.say("journal cost: JIT warm-up round %d (at most %d): %d s for each L, journal on then off (not reported)",
                    round, plan.maxWarmupRounds(), d.toSeconds());
            double compiling = 0;
            double seconds = 0;
            for (long millis : plan.latenciesMillis()) {
                for (boolean journal : new boolean[] {true, false}) {
                    ThroughputSample s = throughput.measure("jcost-warmup-" + label(journal) + "-l" + millis + "-r" + round,
                            Subject.Kind.TROUPE, plan.concurrency(), Latency.ofMillis(millis), warm,
                            deployment -> deployment.withJournal(journal));
                    compiling += s.ok() && s.jitSeconds() >= 0 ? s.jitSeconds() : d.toSeconds();
                    seconds += s.ok() ? s.windowSeconds() : d.toSeconds();
                }
            }
            shares.add(compiling / seconds);
            progress.say("journal cost: in warm-up round %d the JIT compiled for %.0f%% of the time", round, 100 * compiling / seconds);
            if (compiling / seconds <= JIT_SETTLED) {
                break;
            }
        }
        // Rounds: each holds one pair of every L, so that the pairs of one L are spread over the run.
        Map<Long, List<JournalCostRow.Window>> windows = new LinkedHashMap<>();
        plan.latenciesMillis().forEach(millis -> windows.put(millis, new ArrayList<>()));
        int order = 0;
        for (int pair = 1; pair <= plan.pairs(); pair++) {
            for (long millis : plan.latenciesMillis()) {
                Latency latency = Latency.ofMillis(millis);
                progress.say("journal cost: C = %d, L = %s, pair %d of %d", plan.concurrency(), latency, pair, plan.pairs());
                for (boolean journal : new boolean[] {true, false}) {
                    String name = String.format(Locale.ROOT, "jcost-%s-c%d-l%d-p%d", label(journal), plan.concurrency(), millis, pair);
                    ThroughputSample sample = throughput.measure(name, Subject.Kind.TROUPE, plan.concurrency(), latency,
                            plan.window(), deployment -> deployment.withJournal(journal));
                    windows.get(millis).add(new JournalCostRow.Window(++order, journal, sample));
                }
            }
        }
        List<JournalCostRow> rows = new ArrayList<>();
        windows.forEach((millis, measured) -> {
            JournalCostRow row = new JournalCostRow(plan.concurrency(), Latency.ofMillis(millis), List.copyOf(measured));
            progress.say("journal cost: C = %d, L = %s: jobs/s on %s, off %s; worker CPU s per 1,000 jobs on %s, off %s",
                    plan.concurrency(), row.latency(), row.jobsPerSecond(true).render(Format::rate),
                    row.jobsPerSecond(false).render(Format::rate), row.workerCpuPerThousand(true).render(Format::seconds),
                    row.workerCpuPerThousand(false).render(Format::seconds));
            rows.add(row);
        });
        return new Result(plan, List.copyOf(shares), List.copyOf(rows));
    }

    /** What a reader needs next to the journal cost figures. */
    static List<String> notes(Result result) {
        Plan plan = result.plan();
        List<JournalCostRow> rows = result.rows();
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Journal cost: Troupe alone (one worker, C = %d, %d partitions), %d pair(s) of "
                + "windows per L, run one after the other in rounds of one pair per L (each L in turn: journal on, then off), "
                + "so that the windows of each L alternate on, off, on, off and its pairs are spread over the run; each window as "
                + "the throughput rows take it (fresh topics, simulator and worker; a %d s warm-up from the first result; "
                + "then until %,d results and at least %d s, at most %d s). Before the pairs, rounds of %d s windows of each variant at each L, "
                + "unreported, ran until the JIT compiled for at most %.0f%% of a round's time (at most %d rounds): %s. Journal off is WorkerConfig.Journal(false, ...): no state topic is read or written. The on ÷ off "
                + "row divides each pair's figures and gives the median and range of those ratios, so that a drift of the "
                + "machine between pairs cancels out.", plan.concurrency(), ThroughputProbe.PARTITIONS, plan.pairs(),
                plan.window().warmup().toSeconds(), plan.window().targetJobs(), plan.window().minWindow().toSeconds(),
                plan.window().longWindow().toSeconds(), plan.jitWarmup().toSeconds(), 100 * JIT_SETTLED, plan.maxWarmupRounds(),
                result.warmupJitShares().stream().map(share -> String.format(Locale.ROOT, "%.0f%%", 100 * share))
                        .collect(java.util.stream.Collectors.joining(", ", result.warmupJitShares().size() + " round(s), compiling ", ""))));
        notes.add("Worker CPU is the CPU time of the worker's own Java threads over the window (its Vert.x event loops, "
                + "consumer thread, result publisher, journal writer and restore threads, and its Kafka clients' network and "
                + "heartbeat threads, told apart by name), per 1,000 jobs counted in the window; garbage collection and the "
                + "JIT are JVM threads and not in it. Bench JVM CPU is the whole process (plus interrupt time) per 1,000 jobs: "
                + "the broker's work for the journal's writes is there, not in the worker's figure; so are the simulator and "
                + "the harness, the same in both variants. Start to first result is from starting the worker to the first "
                + "result on the topic: with the journal on it includes reading the " + ThroughputProbe.PARTITIONS
                + " (empty) state partitions while they are paused.");
        List<String> disturbed = new ArrayList<>();
        for (JournalCostRow row : rows) {
            for (JournalCostRow.Window w : row.windows()) {
                ThroughputSample s = w.sample();
                if (s.ok() && s.cpu().competingCores() > 0.25) {
                    disturbed.add(String.format(Locale.ROOT, "#%d (L = %s, journal %s, %.2f cores)", w.order(), row.latency(),
                            label(w.journal()), s.cpu().competingCores()));
                }
            }
        }
        if (!disturbed.isEmpty()) {
            notes.add("Journal cost windows that shared the CPU (more than 0.25 cores competing): " + String.join("; ", disturbed)
                    + ".");
        }
        return notes;
    }

    static String label(boolean journal) {
        return journal ? "on" : "off";
    }
}
