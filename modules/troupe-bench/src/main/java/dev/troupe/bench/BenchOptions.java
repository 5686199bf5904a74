package dev.troupe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one run measures and for how long; parsed from the command line, defaults are the full run.
 *
 * @param sections        which parts of the table to measure
 * @param subjects        which systems to measure (the ratio needs both)
 * @param concurrencies   C of the utilization rows
 * @param latenciesMillis L of the utilization rows
 * @param window          warm-up and window of every throughput measurement
 * @param jitWarmup       time each system runs once at the start, unreported, so the JIT has compiled its path
 * @param correctnessJobs size of the correctness batch
 * @param memoryInFlight  jobs in flight of the memory rows
 * @param decode          warm-up and timing window of each record of the decode rows
 * @param journal         what the journal rows write and restore
 * @param journalCost     the rounds of the journal-cost rows (setups a, b, c)
 * @param budgetCost      the rounds of the budget-cost rows (setups a, b): the journal cost's options
 * @param budgetLog       what the reservation round-trip rows ask the budget log
 * @param transactionHold the kills of the transaction-hold rows
 * @param out             where latest.json/latest.md and the timestamped copies go
 */
record BenchOptions(
        boolean quick,
        Set<Section> sections,
        Set<Subject.Kind> subjects,
        List<Integer> concurrencies,
        List<Long> latenciesMillis,
        ThroughputProbe.Window window,
        Duration jitWarmup,
        int correctnessJobs,
        List<Integer> memoryInFlight,
        DecodeProbe.Timing decode,
        JournalProbe.Load journal,
        CostRounds.Plan journalCost,
        CostRounds.Plan budgetCost,
        BudgetLogProbe.Load budgetLog,
        TransactionHoldProbe.Plan transactionHold,
        Path out) {

    /** The parts of the table; {@code --only} spells them in lower case with '-' for '_'. */
    enum Section { DECODE, JOURNAL, TRANSACTION_HOLD, JOURNAL_COST, BUDGET_COST, DISPATCH, UTILIZATION, CORRECTNESS, MEMORY }

    /**
     * What a run without {@code --only} measures: all but the journal cost, whose rounds alone take about
     * eight minutes on 2 cores, the transaction hold (about two) and the budget cost (about eight), so
     * that the full run stays under 10.
     */
    static final Set<Section> DEFAULT_SECTIONS = EnumSet.complementOf(EnumSet.of(Section.JOURNAL_COST, Section.TRANSACTION_HOLD,
            Section.BUDGET_COST));

    static final int DISPATCH_CONCURRENCY = 256;

    static String usage() {
        return """
                Usage: bench/run [options]
                  --quick                 a short run for development (small windows and batches); figures are not comparable
                  --only S[,S...]         sections: decode, journal, transaction-hold, journal-cost, budget-cost, dispatch,
                                          utilization, correctness, memory (default: all but journal-cost, budget-cost and
                                          transaction-hold; journal-cost brings the journal and transaction-hold rows with it)
                  --subjects S[,S...]     troupe, baseline (default: both; the ratio needs both)
                  --concurrency C[,C...]  C of the utilization rows (default 16,256,2048)
                  --latency MS[,MS...]    L in milliseconds of the utilization rows (default 50,500)
                  --target-jobs N         results a throughput window aims for (default 20000)
                  --max-window SECONDS    longest throughput window where Little's bound allows the target (default 45)
                  --short-window SECONDS  longest window where it does not, e.g. C = 16 (default 20)
                  --jit-warmup SECONDS    unreported run of each system before the first figure (default 10)
                  --memory N[,N...]       jobs in flight of the memory rows (default 10000,50000)
                  --journal-jobs N        jobs in the partition the journal rows restore (default 10000)
                  --pairs N               journal-cost, budget-cost: rounds per L, each one window of every setup (default 3)
                  --cost-latency MS[,MS...] journal-cost, budget-cost: L in milliseconds, C = 256 (default 0,50)
                  --budget-in-flight N    budget-cost: reservations outstanding in the concurrent round-trip row (default 256)
                  --hold-kills N          transaction-hold: kills inside a transaction, and as many after a commit (default 3)
                  --out DIR               results directory (default bench/results)
                  --help                  print this""";
    }

    static BenchOptions parse(String... args) {
        boolean quick = List.of(args).contains("--quick");
        Set<Section> sections = EnumSet.copyOf(DEFAULT_SECTIONS);
        Set<Subject.Kind> subjects = EnumSet.allOf(Subject.Kind.class);
        List<Integer> concurrencies = List.of(16, 256, 2048);
        List<Long> latencies = List.of(50L, 500L);
        long target = quick ? 2_000 : 20_000;
        Duration longWindow = Duration.ofSeconds(quick ? 6 : 45);
        Duration shortWindow = Duration.ofSeconds(quick ? 4 : 20);
        List<Integer> memory = quick ? List.of(1_000, 6_000) : List.of(10_000, 50_000);
        Path out = Path.of("bench", "results");
        Duration jitWarmup = Duration.ofSeconds(quick ? 2 : 10);
        int journalJobs = quick ? 2_000 : 10_000;
        int pairs = 3;
        int holdKills = 3;
        List<Long> costLatencies = List.of(0L, 50L);
        int budgetInFlight = 256;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> { }
                case "--help", "-h" -> throw new UsageRequested();
                case "--only" -> sections = enums(Section.class, value(args, ++i, arg));
                case "--subjects" -> subjects = enums(Subject.Kind.class, value(args, ++i, arg));
                case "--concurrency" -> concurrencies = numbers(value(args, ++i, arg)).stream().map(Long::intValue).toList();
                case "--latency" -> latencies = numbers(value(args, ++i, arg));
                case "--target-jobs" -> target = Long.parseLong(value(args, ++i, arg));
                case "--max-window" -> longWindow = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
                case "--short-window" -> shortWindow = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
                case "--jit-warmup" -> jitWarmup = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
                case "--memory" -> memory = numbers(value(args, ++i, arg)).stream().map(Long::intValue).toList();
                case "--journal-jobs" -> journalJobs = Integer.parseInt(value(args, ++i, arg));
                case "--pairs" -> pairs = Integer.parseInt(value(args, ++i, arg));
                case "--cost-latency" -> costLatencies = numbers(value(args, ++i, arg));
                case "--budget-in-flight" -> budgetInFlight = Integer.parseInt(value(args, ++i, arg));
                case "--hold-kills" -> holdKills = Integer.parseInt(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException(arg + ": unknown option (see --help)");
            }
        }
        // At least 10 s: CPU-bound rows reach 20,000 jobs in a few seconds, and short windows were noisy here.
        Duration minWindow = Duration.ofSeconds(quick ? 2 : 10);
        if (shortWindow.compareTo(minWindow) < 0) {
            minWindow = shortWindow;
        }
        if (longWindow.compareTo(shortWindow) < 0) {
            longWindow = shortWindow;
        }
        ThroughputProbe.Window window = new ThroughputProbe.Window(Duration.ofSeconds(quick ? 1 : 2), target, minWindow,
                shortWindow, longWindow);
        DecodeProbe.Timing decode = quick
                ? new DecodeProbe.Timing(Duration.ofMillis(200), Duration.ofMillis(300), 20)
                : new DecodeProbe.Timing(Duration.ofSeconds(1), Duration.ofSeconds(2), 200);
        if (journalJobs < 1 || journalJobs > 1_000_000) {
            throw new IllegalArgumentException("--journal-jobs must be 1..1000000, got " + journalJobs);
        }
        JournalProbe.Load journal = new JournalProbe.Load(journalJobs, quick ? 500 : 2_000, quick ? 200 : 1_000, quick ? 3 : 5, 256);
        if (pairs < 1 || pairs > 20) {
            throw new IllegalArgumentException("--pairs must be 1..20, got " + pairs);
        }
        if (budgetInFlight < 1 || budgetInFlight > 10_000) {
            throw new IllegalArgumentException("--budget-in-flight must be 1..10000, got " + budgetInFlight);
        }
        if (holdKills < 1 || holdKills > 20) {
            throw new IllegalArgumentException("--hold-kills must be 1..20, got " + holdKills);
        }
        if (sections.contains(Section.JOURNAL_COST)) {
            // The cost of a job's writes and of a partition's restore, beside what they cost end to end; and how long
            // a dead worker's transaction holds readers, the price of exactly-once that throughput does not show.
            sections.add(Section.JOURNAL);
            sections.add(Section.TRANSACTION_HOLD);
        }
        TransactionHoldProbe.Plan transactionHold = new TransactionHoldProbe.Plan(holdKills,
                dev.troupe.worker.WorkerConfig.Results.DEFAULT.transactionTimeout(), 5);
        // Half the throughput rows' target: with the journal on, L = 0 runs near 700 jobs/s here, so 10,000 jobs
        // take about 15 s a window and the pairs stay near five minutes; the 10 s minimum holds for the faster ones.
        ThroughputProbe.Window costWindow = quick ? window
                : new ThroughputProbe.Window(window.warmup(), 10_000, window.minWindow(), Duration.ofSeconds(30), Duration.ofSeconds(30));
        CostRounds.Plan journalCost = new CostRounds.Plan(DISPATCH_CONCURRENCY, costLatencies, pairs, jitWarmup,
                quick ? 1 : 4, costWindow);
        // The same rounds, windows and warm-up as the journal cost: two setups instead of three.
        CostRounds.Plan budgetCost = journalCost;
        BudgetLogProbe.Load budgetLog = quick ? new BudgetLogProbe.Load(200, 500, 2_000, budgetInFlight, 200)
                : new BudgetLogProbe.Load(1_000, 2_000, 20_000, budgetInFlight, 1_000);
        return new BenchOptions(quick, sections, subjects, concurrencies, latencies, window,
                jitWarmup, quick ? 2_000 : 20_000, memory, decode, journal, journalCost, budgetCost, budgetLog, transactionHold, out);
    }

    /** Whether a selected section runs systems on the broker (decode alone does not). */
    boolean needsBroker() {
        return sections.stream().anyMatch(section -> section != Section.DECODE);
    }

    /** Thrown for --help. */
    static final class UsageRequested extends RuntimeException {
        UsageRequested() {
            super("usage", null, false, false);
        }
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value (see --help)");
        }
        return args[i];
    }

    private static List<Long> numbers(String list) {
        List<Long> values = new ArrayList<>();
        for (String part : list.split(",")) {
            long v = Long.parseLong(part.trim());
            if (v < 0) {
                throw new IllegalArgumentException("expected numbers >= 0, got " + part);
            }
            values.add(v);
        }
        return List.copyOf(values);
    }

    private static <E extends Enum<E>> Set<E> enums(Class<E> type, String list) {
        Set<E> values = EnumSet.noneOf(type);
        for (String part : list.split(",")) {
            String wanted = part.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            values.add(Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown value '" + part + "', expected one of "
                            + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT).replace('_', '-'))));
        }
        return values;
    }
}
