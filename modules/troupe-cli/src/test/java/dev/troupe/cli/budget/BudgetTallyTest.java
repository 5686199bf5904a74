package dev.troupe.cli.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.troupe.model.BudgetCodec;
import dev.troupe.model.BudgetEntry;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The figures {@code troupe budget} shows, from records with known broker times: hour-long windows, 10:00 to 11:00 first. */
class BudgetTallyTest {

    private static final BudgetRule WAIT = new BudgetRule(Tokens.of(100), Duration.ofHours(1), ExhaustionPolicy.WAIT);
    private static final BudgetRule REJECT = new BudgetRule(Tokens.of(100), Duration.ofHours(1), ExhaustionPolicy.REJECT);
    private static final Instant TEN = Instant.parse("2026-12-03T10:00:00Z");
    private static final long W = WAIT.windowIndex(TEN);

    private final BudgetCodec codec = new BudgetCodec();

    @Test
    void parkedAreTheJobsRefusedInTheWindowAndNotGrantedLaterInIt() {
        BudgetTally tally = new BudgetTally(Map.of("a", WAIT), Set.of());
        reserve(tally, "a", "j1", 60, 1);
        reserve(tally, "a", "j2", 50, 2);   // refused
        reserve(tally, "a", "j3", 50, 3);   // refused
        reserve(tally, "a", "j2", 50, 4);   // refused again, on retry: still one job
        release(tally, "a", "j1", W, 5);
        reserve(tally, "a", "j2", 50, 6);   // granted: no longer parked

        BudgetWindow current = current(tally, "a", TEN.plusSeconds(600));
        assertThat(current.refusedJobs()).isEqualTo(1);
        assertThat(current.parkedJobs()).isEqualTo(1);
        assertThat(current.reserved()).isEqualTo(Tokens.of(50));
        assertThat(current.openReservations()).isEqualTo(1);
        assertThat(current.remaining()).isEqualTo(Tokens.of(50));
        assertThat(current.end()).isEqualTo(Instant.parse("2026-12-03T11:00:00Z"));
    }

    @Test
    void aJobStillParkedWhenItsWindowEndsCountsThereAndAsksAgainInTheNext() {
        BudgetTally tally = new BudgetTally(Map.of("a", WAIT), Set.of());
        reserve(tally, "a", "j1", 90, 1);
        reserve(tally, "a", "j2", 50, 2);   // refused; parked until 11:00
        settle(tally, "a", "j1", W, 90, 3);
        reserve(tally, "a", "j2", 50, 3_601); // the next window grants it

        List<BudgetWindow> windows = tally.windows(TEN.plusSeconds(3_700), start -> true);
        BudgetWindow current = windows.get(0);
        BudgetWindow previous = windows.get(1);
        assertThat(current.which()).isEqualTo(BudgetWindow.Which.CURRENT);
        assertThat(current.index()).isEqualTo(W + 1);
        assertThat(current.parkedJobs()).isZero();
        assertThat(current.reserved()).isEqualTo(Tokens.of(50));
        assertThat(previous.which()).isEqualTo(BudgetWindow.Which.PREVIOUS);
        assertThat(previous.index()).isEqualTo(W);
        assertThat(previous.parkedJobs()).isEqualTo(1);
        assertThat(previous.spent()).isEqualTo(Tokens.of(90));
        assertThat(previous.remaining()).isEqualTo(Tokens.of(10));
    }

    @Test
    void aSettlementAboveItsReservationIsOverspendAndLeavesNothing() {
        BudgetTally tally = new BudgetTally(Map.of("a", WAIT), Set.of());
        reserve(tally, "a", "j1", 90, 1);
        settle(tally, "a", "j1", W, 104.5, 2);

        BudgetWindow current = current(tally, "a", TEN.plusSeconds(10));
        assertThat(current.spent()).isEqualTo(Tokens.parse("104.5"));
        assertThat(current.overspend()).isEqualTo(Tokens.parse("14.5"));
        assertThat(current.remaining()).isEqualTo(Tokens.ZERO);
        assertThat(current.openReservations()).isZero();
    }

    @Test
    void aRejectingBudgetParksNoneAndCountsWhatItRefused() {
        BudgetTally tally = new BudgetTally(Map.of("*", REJECT), Set.of());
        reserve(tally, "*", "j1", 100, 1);
        reserve(tally, "*", "j2", 1, 2);

        BudgetWindow current = current(tally, "*", TEN.plusSeconds(10));
        assertThat(current.refusedJobs()).isEqualTo(1);
        assertThat(current.parkedJobs()).isZero();
    }

    @Test
    void recordsThatAreNotBudgetRecordsAreCountedAndSkippedAndSoAreUnknownBudgets() {
        BudgetTally tally = new BudgetTally(Map.of("a", WAIT), Set.of("b"));
        tally.apply(null, TEN);
        tally.apply("not json".getBytes(StandardCharsets.UTF_8), TEN);
        tally.apply("{\"schema\":\"troupe.budget/v1\",\"kind\":\"TRANSFER\",\"budget\":\"a\",\"jobId\":\"j\"}"
                .getBytes(StandardCharsets.UTF_8), TEN);
        reserve(tally, "b", "j1", 10, 1);   // limited, not asked for: skipped quietly
        reserve(tally, "acme", "j2", 10, 2); // not limited here at all: counted, named
        reserve(tally, "a", "j3", 10, 3);

        assertThat(tally.unreadable()).isEqualTo(3);
        assertThat(tally.applied()).isEqualTo(1);
        assertThat(tally.otherBudgetRecords()).isEqualTo(1);
        assertThat(tally.otherBudgets()).containsExactly("acme");
        assertThat(current(tally, "a", TEN.plusSeconds(10)).reserved()).isEqualTo(Tokens.of(10));
    }

    @Test
    void aWindowIsMarkedIncompleteWhenItsStartIsOneTheReaderFoundRecordsMissingFrom() {
        BudgetTally tally = new BudgetTally(Map.of("a", WAIT), Set.of());
        Instant previousStart = WAIT.windowStart(W - 1);

        List<BudgetWindow> windows = tally.windows(TEN.plusSeconds(10), start -> !start.equals(previousStart));

        assertThat(windows).extracting(BudgetWindow::which, BudgetWindow::complete)
                .containsExactly(tuple(BudgetWindow.Which.CURRENT, true),
                        tuple(BudgetWindow.Which.PREVIOUS, false));
    }

    @Test
    void aHoldOfTheGivonAccountRunsFromItsBrokerTimeForItsHoldAndCountsInNoBudget() {
        BudgetTally tally = new BudgetTally(Map.of("a", WAIT), Set.of());
        assertThat(tally.accountHold(TEN)).as("none read yet").isNull();

        hold(tally, "j1", Duration.ofSeconds(60), "account balance is 0", 5);

        assertThat(tally.accountHold(TEN.plusSeconds(10)))
                .isEqualTo(new AccountHold(TEN.plusSeconds(65), true, "j1", "account balance is 0"));
        assertThat(tally.applied()).isZero();
        assertThat(tally.unreadable()).isZero();
        assertThat(tally.otherBudgetRecords()).isZero();
        assertThat(current(tally, "a", TEN.plusSeconds(10)).remaining()).isEqualTo(Tokens.of(100));
    }

    @Test
    void theHoldEndingLatestIsKeptWhicheverWasReadLast() {
        BudgetTally tally = new BudgetTally(Map.of(), Set.of());
        hold(tally, "long", Duration.ofMinutes(10), "first", 0);    // until 10:10
        hold(tally, "short", Duration.ofSeconds(60), "second", 100); // until 10:02:40: the fleet still holds until 10:10

        assertThat(tally.accountHold(TEN.plusSeconds(120))).extracting(AccountHold::jobId, AccountHold::until)
                .containsExactly("long", TEN.plusSeconds(600));

        hold(tally, "later", Duration.ofMinutes(10), "third", 300); // until 10:15

        assertThat(tally.accountHold(TEN.plusSeconds(320))).extracting(AccountHold::jobId, AccountHold::until, AccountHold::reason)
                .containsExactly("later", TEN.plusSeconds(900), "third");
    }

    @Test
    void aHoldThatHasEndedIsReportedInactiveFromItsEndOn() {
        BudgetTally tally = new BudgetTally(Map.of(), Set.of());
        hold(tally, "j1", Duration.ofSeconds(60), "no credit", 0);

        assertThat(tally.accountHold(TEN.plusSeconds(59)).active()).isTrue();
        assertThat(tally.accountHold(TEN.plusSeconds(60))).as("the workers submit again at its end")
                .isEqualTo(new AccountHold(TEN.plusSeconds(60), false, "j1", "no credit"));
        assertThat(tally.accountHold(TEN.plusSeconds(3_600)).active()).isFalse();
    }

    private static BudgetWindow current(BudgetTally tally, String budget, Instant now) {
        return tally.windows(now, start -> true).stream()
                .filter(w -> w.budget().equals(budget) && w.which() == BudgetWindow.Which.CURRENT).findFirst().orElseThrow();
    }

    private void reserve(BudgetTally tally, String budget, String jobId, long tokens, long secondsAfterTen) {
        tally.apply(codec.encode(new BudgetEntry.Reserve(budget, jobId, Tokens.of(tokens), "test:" + jobId + ":" + secondsAfterTen)),
                TEN.plusSeconds(secondsAfterTen));
    }

    private void settle(BudgetTally tally, String budget, String jobId, long window, double tokens, long secondsAfterTen) {
        tally.apply(codec.encode(new BudgetEntry.Settle(budget, jobId, window, Tokens.parse(Double.toString(tokens)))),
                TEN.plusSeconds(secondsAfterTen));
    }

    private void hold(BudgetTally tally, String jobId, Duration hold, String reason, long secondsAfterTen) {
        tally.apply(codec.encode(new BudgetEntry.Hold(jobId, hold.toMillis(), reason)), TEN.plusSeconds(secondsAfterTen));
    }

    private void release(BudgetTally tally, String budget, String jobId, long window, long secondsAfterTen) {
        tally.apply(codec.encode(new BudgetEntry.Release(budget, jobId, window)), TEN.plusSeconds(secondsAfterTen));
    }
}
