package dev.troupe.bench;

import dev.troupe.worker.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the journal and exactly-once results cost Troupe end to end: the throughput probe's windows in
 * three worker setups ({@link Variant}), alternating in one run, so that all three see the same
 * machine, broker and JIT. With the journal on, each job waits for two acknowledged writes (its intent
 * before the POST, its generation after) and writes its outcome after its result; each assigned
 * partition is paused while its journal is read. With exactly-once, outcomes (results, journal
 * FINISHED entries) and offsets go in one Kafka transaction per worker every 100 ms or 1,000 outcomes.
 */
final class JournalCostProbe {

    /** The worker setups compared, in the order the tables list them. */
    enum Variant {
        /** The old baseline: no state topic, each result acknowledged then its offset committed. */
        BASELINE("a", "journal off, at-least-once", "journalOffAtLeastOnce", false, WorkerConfig.Delivery.AT_LEAST_ONCE),
        /** The journal as it first shipped, results not transactional. */
        JOURNAL("b", "journal on, at-least-once", "journalOnAtLeastOnce", true, WorkerConfig.Delivery.AT_LEAST_ONCE),
        /** The worker's default now. */
        EXACTLY_ONCE("c", "journal on, exactly-once", "journalOnExactlyOnce", true, WorkerConfig.Delivery.EXACTLY_ONCE);

        final String letter;
        final String label;
        final String json;
        final boolean journal;
        final WorkerConfig.Delivery delivery;

        Variant(String letter, String label, String json, boolean journal, WorkerConfig.Delivery delivery) {
            this.letter = letter;
            this.label = label;
            this.json = json;
            this.journal = journal;
            this.delivery = delivery;
        }

        /** "c: journal on, exactly-once" */
        String title() {
            return letter + ": " + label;
        }

        Deployment apply(Deployment d) {
            return d.withJournal(journal).withDelivery(delivery);
        }

        /** The variants of round {@code round} (from 1), in the order they run: rotated by one each round. */
        static List<Variant> order(int round) {
            Variant[] all = values();
            List<Variant> order = new ArrayList<>();
            for (int i = 0; i < all.length; i++) {
                order.add(all[(round - 1 + i) % all.length]);
            }
            return order;
        }
    }

    /** A ratio the tables give, round by round: numerator ÷ denominator. */
    record Ratio(Variant numerator, Variant denominator, String json, String why) {

        String title() {
            return numerator.letter + " ÷ " + denominator.letter;
        }
    }

    /** c ÷ a (the whole cost of the new default), c ÷ b (what transactions add), b ÷ a (what the journal adds). */
    static final List<Ratio> RATIOS = List.of(
            new Ratio(Variant.EXACTLY_ONCE, Variant.BASELINE, "exactlyOnceOverBaseline", "new default ÷ old baseline"),
            new Ratio(Variant.EXACTLY_ONCE, Variant.JOURNAL, "exactlyOnceOverJournal", "what transactions add"),
            new Ratio(Variant.JOURNAL, Variant.BASELINE, "journalOverBaseline", "what the journal adds"));

    /**
     * @param pairs           rounds per latency: each holds one window of every variant (the option is still --pairs)
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
            progress.say("journal cost: JIT warm-up round %d (at most %d): %d s for each L and setup a, b, c (not reported)",
                    round, plan.maxWarmupRounds(), d.toSeconds());
            double compiling = 0;
            double seconds = 0;
            for (long millis : plan.latenciesMillis()) {
                for (Variant variant : Variant.values()) {
                    ThroughputSample s = throughput.measure("jcost-warmup-" + variant.letter + "-l" + millis + "-r" + round,
                            Subject.Kind.TROUPE, plan.concurrency(), Latency.ofMillis(millis), warm, variant::apply);
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
        // Rounds: each holds one window of every variant at every L, so that the rounds of one L are spread over
        // the run; the variants' order rotates from round to round, so that none always runs first after a change of L.
        Map<Long, List<JournalCostRow.Window>> windows = new LinkedHashMap<>();
        plan.latenciesMillis().forEach(millis -> windows.put(millis, new ArrayList<>()));
        int order = 0;
        for (int round = 1; round <= plan.pairs(); round++) {
            for (long millis : plan.latenciesMillis()) {
                Latency latency = Latency.ofMillis(millis);
                List<Variant> variants = Variant.order(round);
                progress.say("journal cost: C = %d, L = %s, round %d of %d (%s)", plan.concurrency(), latency, round, plan.pairs(),
                        variants.stream().map(v -> v.letter).collect(Collectors.joining(", ")));
                for (Variant variant : variants) {
                    String name = String.format(Locale.ROOT, "jcost-%s-c%d-l%d-r%d", variant.letter, plan.concurrency(), millis, round);
                    ThroughputSample sample = throughput.measure(name, Subject.Kind.TROUPE, plan.concurrency(), latency,
                            plan.window(), variant::apply);
                    windows.get(millis).add(new JournalCostRow.Window(++order, round, variant, sample));
                }
            }
        }
        List<JournalCostRow> rows = new ArrayList<>();
        windows.forEach((millis, measured) -> {
            JournalCostRow row = new JournalCostRow(plan.concurrency(), Latency.ofMillis(millis), List.copyOf(measured));
            for (Variant v : Variant.values()) {
                progress.say("journal cost: C = %d, L = %s, %s: jobs/s %s, worker CPU s per 1,000 jobs %s", plan.concurrency(),
                        row.latency(), v.title(), row.jobsPerSecond(v).render(Format::rate),
                        row.workerCpuPerThousand(v).render(Format::seconds));
            }
            for (Ratio r : RATIOS) {
                progress.say("journal cost: C = %d, L = %s, %s round by round: jobs/s %s, worker CPU %s", plan.concurrency(),
                        row.latency(), r.title(), row.roundRatio(ThroughputSample::jobsPerSecond, r.numerator(), r.denominator())
                                .render(Format::ratio),
                        row.roundRatio(ThroughputSample::subjectCpuSecondsPerThousand, r.numerator(), r.denominator())
                                .render(Format::ratio));
            }
            rows.add(row);
        });
        return new Result(plan, List.copyOf(shares), List.copyOf(rows));
    }

    /** What a reader needs next to the journal cost figures. */
    static List<String> notes(Result result) {
        Plan plan = result.plan();
        List<JournalCostRow> rows = result.rows();
        List<String> notes = new ArrayList<>();
        WorkerConfig.Results eos = WorkerConfig.Results.DEFAULT;
        notes.add(String.format(Locale.ROOT, "Journal cost: Troupe alone (one worker, C = %d, %d partitions) in three setups: "
                + "a = journal off, at-least-once (the old baseline: WorkerConfig.Journal(false, ...), no state topic read or "
                + "written; each result acknowledged, then its offset committed); b = journal on, at-least-once; c = journal on, "
                + "exactly-once, the worker's default (results, journal FINISHED entries and offsets in one Kafka transaction per "
                + "worker every %d ms or %,d outcomes, transaction.timeout.ms %d s). %d round(s) per L, each one window of a, b "
                + "and c, run in rounds of one round per L (each L in turn), the order rotating from round to round (a b c, then "
                + "b c a, then c a b, ...), so that the windows of each L alternate and its rounds are spread over the run; each "
                + "window as the throughput rows take it (fresh topics, simulator and worker; a %d s warm-up from the first result; "
                + "then until %,d results and at least %d s, at most %d s). Before them, rounds of %d s windows of each setup at each L, "
                + "unreported, ran until the JIT compiled for at most %.0f%% of a round's time (at most %d rounds): %s. The ratio "
                + "rows divide the figures of two setups' windows of the same round and give the median and range of those "
                + "ratios, so that a drift of the machine between rounds cancels out. Results are counted as a read_committed "
                + "consumer sees them, by the time each was written.", plan.concurrency(), ThroughputProbe.PARTITIONS,
                eos.commitInterval().toMillis(), eos.commitMaxOutcomes(), eos.transactionTimeout().toSeconds(), plan.pairs(),
                plan.window().warmup().toSeconds(), plan.window().targetJobs(), plan.window().minWindow().toSeconds(),
                plan.window().longWindow().toSeconds(), plan.jitWarmup().toSeconds(), 100 * JIT_SETTLED, plan.maxWarmupRounds(),
                result.warmupJitShares().stream().map(share -> String.format(Locale.ROOT, "%.0f%%", 100 * share))
                        .collect(Collectors.joining(", ", result.warmupJitShares().size() + " round(s), compiling ", ""))));
        notes.add("Worker CPU is the CPU time of the worker's own Java threads over the window (its Vert.x event loops, "
                + "consumer thread, which also begins and commits the transactions with exactly-once, result publisher, journal "
                + "writer and restore threads, and its Kafka clients' network and heartbeat threads, told apart by name), per "
                + "1,000 jobs counted in the window; garbage collection and the JIT are JVM threads and not in it. Bench JVM CPU "
                + "is the whole process (plus interrupt time) per 1,000 jobs: the broker's work for the journal's writes and the "
                + "transactions is there, not in the worker's figure; so are the simulator and the harness, the same in every "
                + "setup. Start to first result is from starting the worker to the first result on the topic: with the journal on "
                + "it includes reading the " + ThroughputProbe.PARTITIONS + " (empty) state partitions while they are paused; with "
                + "exactly-once, the transactional producer's initTransactions and the first commit.");
        List<String> disturbed = new ArrayList<>();
        for (JournalCostRow row : rows) {
            for (JournalCostRow.Window w : row.windows()) {
                ThroughputSample s = w.sample();
                if (s.ok() && s.cpu().competingCores() > 0.25) {
                    disturbed.add(String.format(Locale.ROOT, "#%d (L = %s, %s, %.2f cores)", w.order(), row.latency(),
                            w.variant().letter, s.cpu().competingCores()));
                }
            }
        }
        if (!disturbed.isEmpty()) {
            notes.add("Journal cost windows that shared the CPU (more than 0.25 cores competing): " + String.join("; ", disturbed)
                    + ".");
        }
        return notes;
    }
}
