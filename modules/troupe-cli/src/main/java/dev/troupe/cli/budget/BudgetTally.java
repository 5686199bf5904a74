package dev.troupe.cli.budget;

import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.FleetLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The fleet's limited budgets as {@code troupe budget} shows them: each budget's {@code troupe.budget}
 * records applied to a {@link FleetLedger}, the rule every worker applies, in log order with each
 * record's broker time, so the figures are the workers' own. Beside the ledger it keeps the one thing
 * the ledger does not: per window, the jobs refused as exhausted and not granted later in that window.
 * Holds a budget's current and previous window only, as the ledger does, and of the Givon account's
 * holds ({@link BudgetEntry.Hold}) the one that ends latest. Not thread-safe.
 */
public final class BudgetTally {

    /** Budget keys of records skipped as not limited here, kept for the message; a few are enough. */
    private static final int OTHER_BUDGETS_NAMED = 5;

    private final BudgetCodec codec = new BudgetCodec();
    private final Map<String, Budget> budgets = new TreeMap<>();
    private long applied;
    private long unreadable;
    private long otherBudgetRecords;
    private final Set<String> otherBudgets = new TreeSet<>();
    private final Set<String> skipped;
    /** The hold read that ends latest; null before one. */
    private Held latestHold;

    /**
     * @param followed the limited budgets to follow, by budget key
     * @param skipped  budgets to skip without counting them (limited, but not asked for); records of any
     *                 other budget are counted as {@link #otherBudgetRecords()}
     */
    public BudgetTally(Map<String, BudgetRule> followed, Set<String> skipped) {
        followed.forEach((key, rule) -> budgets.put(key, new Budget(rule)));
        this.skipped = Set.copyOf(skipped);
    }

    /** The followed budgets' rules, by budget key. */
    public Map<String, BudgetRule> rules() {
        Map<String, BudgetRule> rules = new TreeMap<>();
        budgets.forEach((key, budget) -> rules.put(key, budget.ledger.rule()));
        return rules;
    }

    /** The first instants to read from: each followed budget's current and previous window at {@code now}. */
    public Set<Instant> starts(Instant now) {
        Set<Instant> starts = new TreeSet<>();
        budgets.values().forEach(budget -> {
            BudgetRule rule = budget.ledger.rule();
            long current = rule.windowIndex(now);
            starts.add(rule.windowStart(current));
            starts.add(rule.windowStart(current - 1));
        });
        return starts;
    }

    /** Applies one record of the topic; a value that is not a budget record is counted and skipped. */
    public void apply(byte[] value, Instant appendedAt) {
        Objects.requireNonNull(appendedAt, "appendedAt");
        BudgetCodec.Decoded decoded = value == null ? null : codec.decode(value);
        if (!(decoded instanceof BudgetCodec.Entry read)) {
            unreadable++;
            return;
        }
        BudgetEntry entry = read.entry();
        if (entry instanceof BudgetEntry.Hold hold) {
            hold(hold, appendedAt); // the Givon account's, no budget's
            return;
        }
        Budget budget = budgets.get(entry.budget());
        if (budget == null) {
            if (skipped.contains(entry.budget())) {
                return;
            }
            otherBudgetRecords++;
            if (otherBudgets.size() < OTHER_BUDGETS_NAMED) {
                otherBudgets.add(entry.budget());
            }
            return;
        }
        budget.apply(entry, appendedAt);
        applied++;
    }

    /**
     * Each budget's window at {@code now} and the one before, by budget key. A record the broker
     * stamped later than {@code now} (its clock ahead of ours) moves the current window on, as it
     * does for the workers.
     *
     * @param complete whether a window starting at that instant still has all its records on the topic
     */
    public List<BudgetWindow> windows(Instant now, Predicate<Instant> complete) {
        List<BudgetWindow> windows = new ArrayList<>();
        budgets.forEach((key, budget) -> {
            long current = budget.ledger.windowAt(now);
            windows.add(budget.window(key, BudgetWindow.Which.CURRENT, current, complete));
            windows.add(budget.window(key, BudgetWindow.Which.PREVIOUS, current - 1, complete));
        });
        return windows;
    }

    /**
     * The Givon account's hold that ends latest of those read, {@code active} if it ends after {@code now};
     * null when none was read.
     */
    public AccountHold accountHold(Instant now) {
        if (latestHold == null) {
            return null;
        }
        return new AccountHold(latestHold.until(), latestHold.until().isAfter(now), latestHold.jobId(), latestHold.reason());
    }

    /** Keeps the hold if it ends no earlier than the one kept: the workers hold until the latest end they read. */
    private void hold(BudgetEntry.Hold hold, Instant appendedAt) {
        Instant until = appendedAt.plusMillis(hold.holdMillis()); // the codec bounds holdMillis to a day
        if (latestHold == null || !until.isBefore(latestHold.until())) {
            latestHold = new Held(until, hold.jobId(), hold.reason());
        }
    }

    /** Records applied to a followed budget. */
    public long applied() {
        return applied;
    }

    /** Records that are not budget records (not JSON, an unknown kind or schema, a bad field, no value). */
    public long unreadable() {
        return unreadable;
    }

    /** Records of budgets neither followed nor skipped (not limited in this configuration), skipped. */
    public long otherBudgetRecords() {
        return otherBudgetRecords;
    }

    /** A few of those budgets' keys, sorted. */
    public Set<String> otherBudgets() {
        return Set.copyOf(otherBudgets);
    }

    /** A hold as read; whether it is running depends on when it is asked. */
    private record Held(Instant until, String jobId, String reason) {}

    private static final class Budget {
        final FleetLedger ledger;
        /** By window: jobs refused as exhausted there and not granted since, in that window. */
        final Map<Long, Set<String>> refused = new HashMap<>();

        Budget(BudgetRule rule) {
            this.ledger = new FleetLedger(rule);
        }

        void apply(BudgetEntry entry, Instant appendedAt) {
            switch (entry.kind()) {
                case RESERVE -> {
                    BudgetEntry.Reserve reserve = (BudgetEntry.Reserve) entry;
                    FleetLedger.Decision decision = ledger.reserve(reserve.jobId(), reserve.amount(), appendedAt);
                    if (decision instanceof FleetLedger.Granted granted) {
                        Set<String> jobs = refused.get(granted.window());
                        if (jobs != null) {
                            jobs.remove(reserve.jobId());
                        }
                    } else if (decision instanceof FleetLedger.Exhausted) {
                        // Refused in the window the request was decided in: the ledger's current one.
                        refused.computeIfAbsent(ledger.currentWindow(), w -> new HashSet<>()).add(reserve.jobId());
                    }
                }
                case SETTLE -> {
                    BudgetEntry.Settle settle = (BudgetEntry.Settle) entry;
                    ledger.settle(settle.jobId(), settle.window(), settle.cost(), appendedAt);
                }
                case RELEASE -> {
                    BudgetEntry.Release release = (BudgetEntry.Release) entry;
                    ledger.release(release.jobId(), release.window(), appendedAt);
                }
                case HOLD -> throw new IllegalArgumentException("a hold of the Givon account is no budget's: " + entry);
            }
            long current = ledger.currentWindow();
            refused.keySet().removeIf(window -> window < current - 1); // the ledger's own bound
        }

        BudgetWindow window(String key, BudgetWindow.Which which, long index, Predicate<Instant> complete) {
            BudgetRule rule = ledger.rule();
            FleetLedger.WindowState state = ledger.window(index);
            Instant start = rule.windowStart(index);
            return new BudgetWindow(key, which, index, start, rule.windowEnd(index), rule.onExhausted(), rule.limit(),
                    state.spent(), state.reserved(), state.open(), state.remaining(), state.overspend(),
                    refused.getOrDefault(index, Set.of()).size(), complete.test(start));
        }
    }
}
