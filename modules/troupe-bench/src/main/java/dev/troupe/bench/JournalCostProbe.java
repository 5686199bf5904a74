package dev.troupe.bench;

import dev.troupe.worker.WorkerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the journal and exactly-once results cost Troupe end to end: the throughput probe's windows in
 * three worker setups ({@link Variant}), alternating in rounds in one run ({@link CostRounds}), so that
 * all three see the same machine, broker and JIT. With the journal on, each job waits for two
 * acknowledged writes (its intent before the POST, its generation after) and writes its outcome after
 * its result; each assigned partition is paused while its journal is read. With exactly-once, outcomes (results, journal
 * FINISHED entries) and offsets go in one Kafka transaction per worker every 100 ms or 1,000 outcomes.
 */
final class JournalCostProbe {

    /** The worker setups compared, in the order the tables list them. */
    enum Variant implements CostSetup {
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

        @Override
        public String letter() {
            return letter;
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public String json() {
            return json;
        }

        @Override
        public Deployment apply(Deployment d) {
            return d.withJournal(journal).withDelivery(delivery);
        }
    }

    /** c ÷ a (the whole cost of the new default), c ÷ b (what transactions add), b ÷ a (what the journal adds). */
    static final List<CostRounds.Ratio> RATIOS = List.of(
            new CostRounds.Ratio(Variant.EXACTLY_ONCE, Variant.BASELINE, "exactlyOnceOverBaseline", "new default ÷ old baseline"),
            new CostRounds.Ratio(Variant.EXACTLY_ONCE, Variant.JOURNAL, "exactlyOnceOverJournal", "what transactions add"),
            new CostRounds.Ratio(Variant.JOURNAL, Variant.BASELINE, "journalOverBaseline", "what the journal adds"));

    private final ThroughputProbe throughput;
    private final CostRounds rounds;

    JournalCostProbe(ThroughputProbe throughput, Progress progress) {
        this.throughput = throughput;
        this.rounds = new CostRounds(progress, "journal cost", "jcost");
    }

    /**
     * What one run measured.
     *
     * @param warmupJitShares per warm-up round, the share of its windows' time the JIT spent compiling
     */
    record Result(CostRounds.Plan plan, List<Double> warmupJitShares, List<CostRow> rows) {}

    Result measure(CostRounds.Plan plan) {
        CostRounds.Measured measured = rounds.measure(plan, List.of(Variant.values()), RATIOS,
                (name, setup, latency, window) -> throughput.measure(name, Subject.Kind.TROUPE, plan.concurrency(), latency,
                        window, setup::apply));
        return new Result(plan, measured.warmupJitShares(), measured.rows());
    }

    /** What a reader needs next to the journal cost figures. */
    static List<String> notes(Result result) {
        CostRounds.Plan plan = result.plan();
        List<CostRow> rows = result.rows();
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
                plan.window().longWindow().toSeconds(), plan.jitWarmup().toSeconds(), 100 * CostRounds.JIT_SETTLED, plan.maxWarmupRounds(),
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
        List<String> disturbed = CostRounds.disturbed(rows);
        if (!disturbed.isEmpty()) {
            notes.add("Journal cost windows that shared the CPU (more than 0.25 cores competing): " + String.join("; ", disturbed)
                    + ".");
        }
        return notes;
    }
}
