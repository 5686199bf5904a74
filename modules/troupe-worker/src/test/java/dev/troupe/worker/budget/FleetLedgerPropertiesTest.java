package dev.troupe.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.model.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The fleet budget's rule (DESIGN.md "Fleet quotas") over random logs: several workers' requests
 * interleaved in one partition, workers that crash (their reservations never settled or released),
 * repeats of a request after a hand-over, settlements above the estimate, and windows rolling under
 * the broker's clock. Every reader that starts at a window's first record reaches the decisions and
 * the state of a reader that read the whole log, and no window is granted above its limit.
 */
class FleetLedgerPropertiesTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Instant START = Instant.parse("2026-12-02T10:03:00Z");
    private static final int WORKERS = 3;

    /** One record of the log, with the broker's append time. */
    private sealed interface Entry {
        Instant at();
    }

    private record Reserve(Instant at, String jobId, Tokens amount) implements Entry {}

    private record Settle(Instant at, String jobId, long window, Tokens cost) implements Entry {}

    private record Release(Instant at, String jobId, long window) implements Entry {}

    @Property(tries = 300)
    void everyReaderFromAWindowsFirstRecordDecidesAsAReaderOfTheWholeLogAndNoWindowPassesItsLimit(
            @ForAll @LongRange(min = 1_000, max = 100_000) long limitMilli,
            @ForAll @Size(max = 400) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> steps) {
        BudgetRule rule = new BudgetRule(Tokens.ofMilli(limitMilli), WINDOW, ExhaustionPolicy.WAIT);
        List<Entry> log = log(rule, steps);

        FleetLedger whole = new FleetLedger(rule);
        List<FleetLedger.Decision> decisions = new ArrayList<>();
        for (Entry entry : log) {
            decisions.add(apply(whole, entry));
            FleetLedger.WindowState now = whole.window(whole.currentWindow());
            // Grants never pass the limit; only what Givon charged above an estimate may.
            assertThat(now.reserved().plus(now.spent()).minus(now.overspend()).exceeds(rule.limit())).as("window %s", now).isFalse();
            if (decisions.get(decisions.size() - 1) instanceof FleetLedger.Granted granted && !granted.reused()
                    && granted.amount().exceeds(Tokens.ZERO)) {
                assertThat(now.spent().minus(now.overspend()).plus(now.reserved()).exceeds(rule.limit())).isFalse();
            }
        }
        FleetLedger.WindowState last = log.isEmpty() ? null : whole.window(whole.currentWindow());

        for (int from = 0; from < log.size(); from++) {
            boolean firstOfWindow = from == 0 || rule.windowIndex(log.get(from).at()) > rule.windowIndex(log.get(from - 1).at());
            if (!firstOfWindow) {
                continue;
            }
            FleetLedger late = new FleetLedger(rule);
            long startWindow = rule.windowIndex(log.get(from).at());
            for (int i = from; i < log.size(); i++) {
                FleetLedger.Decision decision = apply(late, log.get(i));
                // A settlement of a reservation made before this reader started is the one thing it cannot know.
                if (namedWindow(log.get(i)) >= startWindow) {
                    assertThat(decision).as("record %d read by a reader from record %d", i, from).isEqualTo(decisions.get(i));
                }
            }
            assertThat(late.window(late.currentWindow())).as("the last window, read from record %d", from).isEqualTo(last);
        }
    }

    @Property(tries = 200)
    void aJobThatAsksAgainInItsWindowGetsTheReservationItHolds(
            @ForAll @IntRange(min = 1, max = 5) int repeats, @ForAll @LongRange(min = 1, max = 50) long amount) {
        FleetLedger ledger = new FleetLedger(new BudgetRule(Tokens.of(100), WINDOW, ExhaustionPolicy.WAIT));
        FleetLedger.Decision first = ledger.reserve("job-1", Tokens.of(amount), START);
        for (int i = 0; i < repeats; i++) {
            assertThat(ledger.reserve("job-1", Tokens.of(amount + i), START.plusSeconds(i))).isEqualTo(
                    new FleetLedger.Granted(((FleetLedger.Granted) first).window(), Tokens.of(amount), true));
        }
        assertThat(ledger.window(ledger.currentWindow()).reserved()).isEqualTo(Tokens.of(amount));
    }

    /**
     * A worker killed after a job's settlement and before its result's transaction committed: the
     * next owner follows the generation and asks again. It gets the settled reservation back, neither
     * a refusal of a job Givon ran (the budget is full) nor a second charge (it has room).
     */
    @Property(tries = 200)
    void aJobAskingAgainAfterItsSettlementGetsItBackAndIsChargedOnce(@ForAll @LongRange(min = 21, max = 40) long limit) {
        FleetLedger ledger = new FleetLedger(new BudgetRule(Tokens.of(limit), WINDOW, ExhaustionPolicy.REJECT));
        FleetLedger.Granted first = (FleetLedger.Granted) ledger.reserve("ran", Tokens.of(21), START);
        ledger.settle("ran", first.window(), Tokens.of(20), START.plusSeconds(1));

        assertThat(ledger.reserve("ran", Tokens.of(21), START.plusSeconds(2)))
                .isEqualTo(new FleetLedger.Granted(first.window(), Tokens.of(21), true));
        assertThat(ledger.settle("ran", first.window(), Tokens.of(20), START.plusSeconds(3))).isEqualTo(new FleetLedger.Ignored());
        FleetLedger.WindowState state = ledger.window(first.window());
        assertThat(state.spent()).isEqualTo(Tokens.of(20));
        assertThat(state.reserved()).isEqualTo(Tokens.ZERO);
        assertThat(state.remaining()).isEqualTo(Tokens.of(limit - 20));
    }

    @Property(tries = 200)
    void aSettlementAboveTheEstimateIsRecordedAndClosesTheWindow(@ForAll @LongRange(min = 1, max = 30) long over) {
        FleetLedger ledger = new FleetLedger(new BudgetRule(Tokens.of(42), WINDOW, ExhaustionPolicy.WAIT));
        FleetLedger.Granted a = (FleetLedger.Granted) ledger.reserve("a", Tokens.of(21), START);
        ledger.reserve("b", Tokens.of(21), START);
        ledger.settle("a", a.window(), Tokens.of(21 + over), START.plusSeconds(1));

        FleetLedger.WindowState state = ledger.window(a.window());
        assertThat(state.spent()).isEqualTo(Tokens.of(21 + over));
        assertThat(state.overspend()).isEqualTo(Tokens.of(over));
        assertThat(state.remaining()).isEqualTo(Tokens.ZERO);
        assertThat(ledger.reserve("c", Tokens.ofMilli(1), START.plusSeconds(2))).isInstanceOf(FleetLedger.Exhausted.class);
    }

    /** The window a settlement or release names; a request's is its own (always known to the reader). */
    private static long namedWindow(Entry entry) {
        if (entry instanceof Settle s) {
            return s.window();
        }
        return entry instanceof Release r ? r.window() : Long.MAX_VALUE;
    }

    private static FleetLedger.Decision apply(FleetLedger ledger, Entry entry) {
        if (entry instanceof Reserve r) {
            return ledger.reserve(r.jobId(), r.amount(), r.at());
        }
        if (entry instanceof Settle s) {
            return ledger.settle(s.jobId(), s.window(), s.cost(), s.at());
        }
        Release r = (Release) entry;
        return ledger.release(r.jobId(), r.window(), r.at());
    }

    /**
     * A log as workers write it: each step is one worker's next record. A worker asks for a new job,
     * asks again for one it holds (a repeat after a hand-over), settles (sometimes above the estimate)
     * or releases what a reader granted it, crashes (forgetting its reservations), or time passes.
     */
    private static List<Entry> log(BudgetRule rule, List<Integer> steps) {
        FleetLedger truth = new FleetLedger(rule);
        List<Entry> log = new ArrayList<>();
        List<Map<String, FleetLedger.Granted>> held = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            held.add(new HashMap<>());
        }
        Instant at = START;
        int jobs = 0;
        for (int step : steps) {
            Map<String, FleetLedger.Granted> mine = held.get(step % WORKERS);
            int action = (step / WORKERS) % 10;
            int pick = step / (WORKERS * 10);
            Entry entry;
            if (action == 9) {
                at = at.plus(Duration.ofSeconds(1 + pick % 400));
                continue;
            } else if (action == 8) {
                mine.clear(); // crashed: its reservations stay open, never closed
                continue;
            } else if (action >= 5 && !mine.isEmpty()) {
                String jobId = List.copyOf(mine.keySet()).get(pick % mine.size());
                FleetLedger.Granted granted = mine.get(jobId);
                if (action == 5) {
                    entry = new Reserve(at, jobId, granted.amount());
                } else if (action == 6) {
                    mine.remove(jobId);
                    entry = new Release(at, jobId, granted.window());
                } else {
                    mine.remove(jobId);
                    long milli = granted.amount().milli();
                    entry = new Settle(at, jobId, granted.window(), Tokens.ofMilli(pick % 4 == 0 ? milli + 1 + pick % 5_000 : milli - pick % (milli + 1)));
                }
            } else {
                entry = new Reserve(at, "job-" + (++jobs), Tokens.ofMilli(1 + pick % (rule.limit().milli() / 3 + 1)));
            }
            log.add(entry);
            if (apply(truth, entry) instanceof FleetLedger.Granted granted && entry instanceof Reserve r) {
                mine.put(r.jobId(), granted);
            }
            at = at.plusMillis(pick % 50);
        }
        return log;
    }
}
