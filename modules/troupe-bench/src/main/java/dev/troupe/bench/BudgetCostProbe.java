package dev.troupe.bench;

import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a limited budget costs Troupe end to end (DESIGN.md "Fleet quotas"): the throughput probe's
 * windows with an unlimited budget and with a limited one decided through {@code troupe.budget} (the
 * default fleet scope), alternating in rounds ({@link CostRounds}). The same jobs in both, all of one
 * tenant: in b that tenant has a limit, so each job writes a RESERVE record and waits for the worker's
 * budget reader to read it back before it may take a slot, then writes a SETTLE record after its
 * result; in a its budget has none and never touches the log ({@link #setups}). The limit is far above what a window
 * can spend, so the figure is the log's cost, not a refusal's; each window's budget topic is replayed
 * afterwards ({@link BudgetLogTally}) to show it.
 */
final class BudgetCostProbe {

    /** The tenant every job carries. */
    static final String TENANT = "bench-limited";

    /** The budget's window: a day (UTC), so a measurement is never cut by a window's roll unless it runs over midnight. */
    static final Duration BUDGET_WINDOW = Duration.ofDays(1);

    /**
     * A pace above any this machine has reached end to end (the dispatch ceiling was about 7,700 jobs/s);
     * the limit covers ten times what a measurement could take at it.
     */
    static final long CEILING_JOBS_PER_SECOND = 10_000;

    /**
     * A setup compared: the budget policy the worker is given (the jobs are the same in every setup).
     *
     * @param limited whether the jobs' tenant has a limit, so that its jobs go through troupe.budget
     */
    record Setup(String letter, String label, String json, BudgetPolicy policy, boolean limited) implements CostSetup {

        @Override
        public Deployment apply(Deployment d) {
            return d.withBudget(policy);
        }
    }

    /** a = unlimited (the worker's budget default), b = the jobs' tenant limited by {@code rule}, fleet scope (the default). */
    static List<Setup> setups(BudgetRule rule) {
        return List.of(new Setup("a", "unlimited budget", "unlimited", BudgetPolicy.unlimited(), false),
                new Setup("b", "limited budget through troupe.budget (fleet scope)", "limitedFleet",
                        new BudgetPolicy(Map.of(TENANT, rule), BudgetPolicy.unlimited().defaultRule()), true));
    }

    /** b ÷ a. */
    static List<CostRounds.Ratio> ratios(List<Setup> setups) {
        return List.of(new CostRounds.Ratio(setups.get(1), setups.get(0), "limitedOverUnlimited", "what a limited budget adds"));
    }

    /**
     * What one run measured.
     *
     * @param rule            the limited tenant's budget in b
     * @param setups          a, b
     * @param warmupJitShares per warm-up round, the share of its windows' time the JIT spent compiling
     * @param tallies         each reported window's budget topic replayed, by window name
     * @param log             the reservation round trip measured directly, or null if that probe failed
     * @param logFailure      why it failed, or null
     */
    record Result(CostRounds.Plan plan, BudgetRule rule, List<Setup> setups, List<Double> warmupJitShares, List<CostRow> rows,
                  Map<String, BudgetLogTally> tallies, BudgetLogProbe.Load logLoad, BudgetLogSample log, String logFailure) {

        BudgetLogTally tally(CostRow.Window w) {
            return tallies.getOrDefault(w.name(), BudgetLogTally.NONE);
        }

        /** Every reported window of a setup's budget topics, added up. */
        BudgetLogTally total(CostSetup setup) {
            return rows.stream().flatMap(r -> r.windows().stream()).filter(w -> w.variant() == setup).map(this::tally)
                    .reduce(BudgetLogTally.NONE, BudgetLogTally::plus);
        }
    }

    private final BenchKafka kafka;
    private final ThroughputProbe throughput;
    private final BudgetLogProbe log;
    private final Progress progress;
    private final CostRounds rounds;

    BudgetCostProbe(BenchKafka kafka, ThroughputProbe throughput, BudgetLogProbe log, Progress progress) {
        this.kafka = kafka;
        this.throughput = throughput;
        this.log = log;
        this.progress = progress;
        this.rounds = new CostRounds(progress, "budget cost", "bcost");
    }

    /** Ten times the tokens of the most jobs one measurement could take at {@link #CEILING_JOBS_PER_SECOND}. */
    static Tokens limit(ThroughputProbe.Window window) {
        long seconds = window.warmup().toSeconds() + window.longWindow().toSeconds() + 10;
        return Tokens.of(JobRecords.TOKENS_PER_JOB).times(10 * CEILING_JOBS_PER_SECOND * seconds);
    }

    Result measure(CostRounds.Plan plan, BudgetLogProbe.Load logLoad) {
        BudgetLogSample logged = null;
        String failure = null;
        try {
            logged = log.measure(logLoad);
        } catch (Exception e) {
            failure = e.toString();
            progress.say("budget log: failed: %s", e);
        }
        BudgetRule rule = new BudgetRule(limit(plan.window()), BUDGET_WINDOW, ExhaustionPolicy.WAIT);
        List<Setup> setups = setups(rule);
        Map<String, BudgetLogTally> tallies = new ConcurrentHashMap<>();
        CostRounds.Measured measured = rounds.measure(plan, setups, ratios(setups), (name, setup, latency, window) ->
                throughput.measure(name, Subject.Kind.TROUPE, plan.concurrency(), latency, window, setup::apply, TENANT, stage -> {
                    BudgetLogTally tally = BudgetLogTally.read(kafka.bootstrapServers(), stage.topics().budget(), TENANT, rule);
                    tallies.put(name, tally);
                    progress.say("  %s: troupe.budget holds %,d records: %,d reservations granted, %,d refused, %,d closed",
                            name, tally.records(), tally.granted(), tally.refused(), tally.closed());
                }));
        return new Result(plan, rule, setups, measured.warmupJitShares(), measured.rows(), Map.copyOf(tallies), logLoad, logged, failure);
    }

    /** What a reader needs next to the budget cost figures. */
    static List<String> notes(Result result) {
        CostRounds.Plan plan = result.plan();
        List<String> notes = new ArrayList<>();
        BudgetLogTally a = result.total(result.setups().get(0));
        BudgetLogTally b = result.total(result.setups().get(1));
        notes.add(String.format(Locale.ROOT, "Budget cost: Troupe alone (one worker, C = %d, %d partitions, journal on and "
                + "exactly-once, the worker's defaults) in two setups, every job of tenant '%s': a = an unlimited budget "
                + "(BudgetPolicy.unlimited(): the tenant is not configured, its jobs go to the default budget, which has no "
                + "limit and is decided in the worker alone, nothing written); b = the tenant limited to %s tokens per %d-day "
                + "window (UTC) with budget.scope fleet, the default: each job writes a RESERVE record to troupe.budget (3 "
                + "partitions, LogAppendTime) and waits, Admitted, until the worker's budget reader reads it back and grants it, "
                + "then takes a slot; its result is followed by a SETTLE record. The limit is ten times the cost of the most "
                + "jobs one measurement could take at %,d jobs/s (above any pace this machine reached), so nothing is refused "
                + "and the figure is the log's cost. %d round(s) per L, each one window of a and b, the order alternating from "
                + "round to round (a b, then b a, ...); each window as the throughput rows take it (fresh topics, simulator and "
                + "worker; a %d s warm-up from the first result; then until %,d results and at least %d s, at most %d s). "
                + "Before them, rounds of %d s windows of each setup at each L, unreported, ran until the JIT compiled for at "
                + "most %.0f%% of a round's time (at most %d rounds): %s. The ratio rows divide the figures of b's and a's "
                + "windows of the same round.", plan.concurrency(), ThroughputProbe.PARTITIONS, TENANT, Format.tokens(result.rule().limit()),
                result.rule().window().toDays(), CEILING_JOBS_PER_SECOND, plan.pairs(), plan.window().warmup().toSeconds(),
                plan.window().targetJobs(), plan.window().minWindow().toSeconds(), plan.window().longWindow().toSeconds(),
                plan.jitWarmup().toSeconds(), 100 * CostRounds.JIT_SETTLED, plan.maxWarmupRounds(),
                result.warmupJitShares().stream().map(share -> String.format(Locale.ROOT, "%.0f%%", 100 * share))
                        .collect(Collectors.joining(", ", result.warmupJitShares().size() + " round(s), compiling ", ""))));
        notes.add(String.format(Locale.ROOT, "Each window's troupe.budget topic, replayed after the worker closed with the rule "
                + "every worker applies (FleetLedger, in log order): b's windows wrote %,d records, %,d reservations granted "
                + "(%,d reused), %,d refused, %,d settled or released, %,d open at the end (jobs in hand when the worker closed); "
                + "the most one window held at once was %s tokens, %.2f%% of the limit. a's windows wrote %,d records.",
                b.records(), b.granted(), b.reused(), b.refused(), b.closed(), b.openAtEnd(), Format.tokens(b.peakHeld()),
                100 * b.peakHeld().toBigDecimal().doubleValue() / result.rule().limit().toBigDecimal().doubleValue(), a.records()));
        notes.add("Worker CPU is the CPU time of the worker's own Java threads over the window (event loops, consumer thread, "
                + "journal writer, the budget reader troupe-budget-reader, its Kafka clients' network threads), per 1,000 jobs "
                + "counted in the window; garbage collection and the JIT are not in it. The broker's work for the budget records "
                + "is in the bench JVM CPU, not the worker's.");
        BudgetLogProbe.Load load = result.logLoad();
        notes.add(String.format(Locale.ROOT, "Reservation round trip: FleetBudgetLog on the in-JVM broker (one replica), with the "
                + "clients Worker gives it (acks=all producer, linger 1 ms; an assigned reader, fetch.max.wait.ms 10), one "
                + "limited budget (one partition of troupe.budget), its limit far above what the probe reserves. A reservation is "
                + "timed from reserve() on a Vert.x event loop to its decision back on that event loop, as BudgetGate hands it to "
                + "the runner: its RESERVE record acknowledged, fetched by the reader thread, applied, the future completed, the "
                + "event loop woken. After %,d untimed ones one at a time and %,d with %d outstanding: %,d one at a time, then "
                + "%,d with %d outstanding (each issued from the event loop as the previous one's decision arrives). A settlement "
                + "is timed from settle() until its future completes (Kafka has the record: what a job waits for, nothing) and "
                + "until the reader applied it (the budget's parked jobs are then told to try again), one at a time, %,d of them.",
                load.warmup(), load.warmup(), load.inFlight(), load.sequential(), load.concurrent(), load.inFlight(),
                result.log() == null ? 0 : result.log().settleAck().count()));
        if (result.logFailure() != null) {
            notes.add("Reservation round trip: not measured, the probe failed: " + result.logFailure());
        }
        List<String> disturbed = CostRounds.disturbed(result.rows());
        if (!disturbed.isEmpty()) {
            notes.add("Budget cost windows that shared the CPU (more than 0.25 cores competing): " + String.join("; ", disturbed)
                    + ".");
        }
        return notes;
    }
}
