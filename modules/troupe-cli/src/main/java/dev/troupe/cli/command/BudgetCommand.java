package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.DurationConverter;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.SignalGuard;
import dev.troupe.cli.budget.BudgetLogReader;
import dev.troupe.cli.budget.BudgetReport;
import dev.troupe.cli.budget.BudgetTally;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.view.BudgetJson;
import dev.troupe.cli.view.BudgetTable;
import dev.troupe.cli.view.Numbers;
import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import dev.troupe.model.DurationText;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.FleetBudget;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe budget}: the fleet's limited budgets per tenant and window, read from the budget topic with the workers' rule,
 * and the Givon account's hold the workers read from the same topic.
 */
@Command(name = "budget", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Show the fleet's budgets per tenant and window (limit, spent, reserved, remaining, parked jobs) and the Givon "
                + "account's hold.",
        description = {
            "Reads topics.budget (troupe.budget) from the first record of each limited budget's previous window up to "
                    + "the end the log had at start, without a consumer group, and applies the records with the rule every worker applies (FleetLedger), "
                    + "so the figures are the fleet's own. Limits, windows and policies come from the configuration: give it "
                    + "the workers' configuration. Budgets without a limit never reach the log; they are named on one line.",
            "",
            "Givon account: when Givon answers that the account cannot pay, the worker told writes a hold to partition 0 and "
                    + "every worker holds its submissions until the record's broker time + the hold (worker.out-of-tokens-pause). "
                    + "Holds are read from max(worker.out-of-tokens-pause, 1h) ago on, also when no budget is limited. Below the "
                    + "table, while the latest-ending hold runs: 'Givon account held until T (N s left): reason (job ID)'; once it "
                    + "ended: 'Givon account not held: the last hold ended T (job ID)'; nothing when none was read.",
            "",
            "Per budget (tenant, or * for the default budget) and window (the current one by this machine's clock, and "
                    + "the previous one): limit; spent (tokens settled); reserved (tokens of open reservations) and open (how "
                    + "many); remaining (limit - spent - reserved, never below 0); overspend (tokens settled above their "
                    + "reservations; the window then grants nothing more); parked; window start and end (UTC, ISO-8601); policy.",
            "",
            "parked: distinct jobs whose reservation was refused as exhausted in the window and that were not granted "
                    + "one later in that window, when the budget's policy is wait (a rejecting budget parks none: those "
                    + "jobs ended REJECTED, counted as refused). The log holds requests, not what became of a job since: a "
                    + "parked job cancelled meanwhile still counts until the window ends. In the previous window: the jobs "
                    + "still parked when it ended (they ask again in the current one).",
            "",
            "--format json prints one document per line, schema " + BudgetJson.SCHEMA + ": schema, topic, readAt, "
                    + "appliedRecords, unreadableRecords, windows[] (budget, window = current|previous, index, start, end, "
                    + "policy = wait|reject, limit, spent, reserved, openReservations, remaining, overspend, parkedJobs, "
                    + "refusedJobs, complete = false when some of the window's records expired), unlimited[] (budget keys), "
                    + "accountHold (the latest-ending hold read: until, active, jobId, reason; null when none). "
                    + "Tokens are JSON numbers, exact; times ISO-8601 UTC.",
            "",
            "Records that are not budget records (another version's, damaged) are skipped and counted on stderr."},
        footer = {"", "Examples:",
            "  troupe budget",
            "  troupe budget --tenant studio-a --watch",
            "  troupe budget --format json | jq '.windows[].remaining'"})
public final class BudgetCommand implements Callable<Integer> {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofHours(1);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    /** How the report is printed. */
    enum Format { TABLE, JSON }

    private final CliContext context;
    private final Clock clock = Clock.systemUTC();

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "Only this tenant's budget (* for the default budget). A tenant without a budget of its own is shown "
                    + "as the default budget it is charged to.")
    String tenant;

    @Option(names = "--watch", description = "Keep following the log and redraw until Ctrl-C (on a terminal every --interval; "
            + "otherwise, and with --format json, only when a figure changed).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --watch: how often to redraw, 100ms to 1h (default: 2s).")
    Duration interval;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.")
    Format format = Format.TABLE;

    public BudgetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration every = checkOptions();
        TroupeConfig config = common.load(context, err);
        if (config.budgetScope() == WorkerConfig.BudgetScope.WORKER) {
            throw new CliFailure(ExitCodes.FAILURE, "budget.scope is worker: each worker keeps its own budget and "
                    + config.topics().budget().name() + " holds none of it; troupe budget reads the fleet's budgets (budget.scope: fleet)");
        }
        BudgetPolicy policy = config.budget();
        Set<String> shown = shownBudgets(policy, err);
        Map<String, BudgetRule> limited = FleetBudget.limited(policy);
        Map<String, BudgetRule> followed = new HashMap<>(limited);
        followed.keySet().retainAll(shown);
        List<String> unlimited = shown.stream().filter(key -> !limited.containsKey(key)).sorted().toList();
        String topic = config.topics().budget().name();
        // Read even when no budget shown is limited: the Givon account's holds are on the topic whatever the budgets.
        config.kafka().awaitReachable();
        config.kafka().requireTopics(List.of(topic));
        Set<String> skipped = new HashSet<>(limited.keySet());
        skipped.removeAll(followed.keySet());
        BudgetTally tally = new BudgetTally(followed, skipped);
        Duration holdLookBack = BudgetLogReader.holdLookBack(config.worker().outOfTokensPause());
        try (BudgetLogReader reader = new BudgetLogReader(config.kafka(), topic)) {
            return watch ? follow(reader, tally, holdLookBack, topic, unlimited, every, out, err)
                    : once(reader, tally, holdLookBack, topic, unlimited, out, err);
        }
    }

    private Duration checkOptions() {
        if (tenant != null && !BudgetCodec.isBudgetKey(tenant)) {
            throw new CliFailure(ExitCodes.USAGE, "--tenant " + BudgetCodec.budgetKeyRule() + ", got '" + shown(tenant) + "'");
        }
        if (interval == null) {
            return DEFAULT_INTERVAL;
        }
        if (!watch) {
            throw new CliFailure(ExitCodes.USAGE, "--interval is how often --watch redraws; add --watch or leave it out");
        }
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new CliFailure(ExitCodes.USAGE, "--interval must be " + DurationText.format(MIN_INTERVAL) + " to "
                    + DurationText.format(MAX_INTERVAL) + ", got " + DurationText.format(interval));
        }
        return interval;
    }

    /** The budget keys asked for: every configured one, or the one --tenant is charged to (as the workers charge it). */
    private Set<String> shownBudgets(BudgetPolicy policy, PrintWriter err) {
        if (tenant == null) {
            return policy.budgetKeys();
        }
        String key = tenant.equals(BudgetEntry.DEFAULT_BUDGET) ? tenant : policy.budgetKey(tenant);
        if (!key.equals(tenant)) {
            err.println("troupe budget: tenant " + tenant + " has no budget of its own in this configuration: its jobs are charged "
                    + "to the default budget (" + key + "), shown here");
        }
        return Set.of(key);
    }

    private int once(BudgetLogReader reader, BudgetTally tally, Duration holdLookBack, String topic, List<String> unlimited,
                     PrintWriter out, PrintWriter err) {
        Set<Instant> partial = reader.open(starts(tally), clock.instant().minus(holdLookBack));
        reader.readToEnd(tally);
        print(out, report(tally, topic, unlimited, partial), false);
        new SkippedNotice().tell(err, tally);
        return ExitCodes.OK;
    }

    /** Reads to the end, then keeps following the log (never re-reading it) and redraws until Ctrl-C or an interrupt. */
    private int follow(BudgetLogReader reader, BudgetTally tally, Duration holdLookBack, String topic, List<String> unlimited,
                       Duration every, PrintWriter out, PrintWriter err) {
        Thread stopOnSignal = new Thread(reader::wakeup, "troupe-budget-stop");
        try (SignalGuard guard = SignalGuard.holdExitUntilClosed()) {
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            SkippedNotice skipped = new SkippedNotice();
            try {
                Set<Instant> partial = reader.open(starts(tally), clock.instant().minus(holdLookBack));
                reader.readToEnd(tally);
                boolean redrawAlways = context.terminal() && format == Format.TABLE;
                BudgetReport last = null;
                while (!Thread.currentThread().isInterrupted()) {
                    BudgetReport report = report(tally, topic, unlimited, partial);
                    if (redrawAlways || !report.sameFiguresAs(last)) {
                        print(out, report, redrawAlways);
                        last = report;
                    }
                    skipped.tell(err, tally);
                    long next = System.nanoTime() + every.toNanos();
                    for (long left = every.toNanos(); left > 0; left = next - System.nanoTime()) {
                        reader.poll(Duration.ofNanos(Math.min(left, POLL.toNanos())), tally);
                    }
                }
            } catch (WakeupException | InterruptException stopped) {
                // Ctrl-C or an interrupt: the end of a watch, not a failure
            } finally {
                SignalGuard.removeHook(stopOnSignal);
            }
            skipped.tell(err, tally);
            return ExitCodes.OK;
        }
    }

    /** The first instants to read from: each followed budget's current and previous window by this machine's clock. */
    private Set<Instant> starts(BudgetTally tally) {
        return tally.starts(clock.instant());
    }

    /**
     * A window is complete unless it starts at an instant the reader found records missing from; a
     * window that began after the reader started (the clock moved on during --watch) is complete.
     */
    private BudgetReport report(BudgetTally tally, String topic, List<String> unlimited, Set<Instant> partial) {
        Instant now = clock.instant();
        return new BudgetReport(topic, now.truncatedTo(ChronoUnit.SECONDS), tally.windows(now, start -> !partial.contains(start)),
                unlimited, tally.applied(), tally.unreadable(), tally.accountHold(now));
    }

    private void print(PrintWriter out, BudgetReport report, boolean clearFirst) {
        if (format == Format.JSON) {
            out.println(BudgetJson.render(report));
        } else {
            out.print((clearFirst ? CLEAR_SCREEN : "") + BudgetTable.render(report));
            if (watch && !clearFirst) {
                out.println();
            }
        }
        out.flush();
    }

    /** Says on stderr how many records were skipped, each time more were than it last said. */
    private static final class SkippedNotice {
        private long unreadable;
        private long other;

        void tell(PrintWriter err, BudgetTally tally) {
            if (tally.unreadable() > unreadable) {
                unreadable = tally.unreadable();
                err.println("troupe budget: " + Numbers.count(unreadable) + " unreadable " + Numbers.noun(unreadable, "record") + " skipped (not " + BudgetEntry.SCHEMA
                        + " records: damaged, or of a newer version)");
            }
            if (tally.otherBudgetRecords() > other) {
                other = tally.otherBudgetRecords();
                err.println("troupe budget: " + Numbers.count(other, "record") + " of budgets without a limit in this configuration skipped ("
                        + String.join(", ", tally.otherBudgets()) + "): is it the workers' configuration?");
            }
            err.flush();
        }
    }

    /** At most 80 characters of a value from the command line, control characters replaced, for a message. */
    private static String shown(String value) {
        String clipped = value.length() <= 80 ? value : value.substring(0, 80) + "...";
        return clipped.replaceAll("\\p{Cntrl}", "?");
    }
}
