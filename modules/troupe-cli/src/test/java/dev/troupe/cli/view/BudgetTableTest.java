package dev.troupe.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.cli.budget.AccountHold;
import dev.troupe.cli.budget.BudgetReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetTableTest {

    private static final Instant READ_AT = Instant.parse("2026-12-03T07:09:17Z");

    @Test
    void aRunningHoldIsOneLineWithTheTimeLeftAndWhatGivonSaidMadeSafeForATerminal() {
        String table = BudgetTable.render(report(new AccountHold(Instant.parse("2026-12-03T07:10:00.250Z"), true, "job-7",
                "balance 0\nsee \u001b[2Jbilling\u202e")));

        assertThat(table.lines()).contains("  Givon account held until 2026-12-03T07:10:00.250Z (43 s left): balance 0?see ?[2Jbilling? "
                + "(job job-7)");
    }

    @Test
    void anEndedHoldSaysWhenItEndedAndNoneReadSaysNothing() {
        String ended = BudgetTable.render(report(new AccountHold(Instant.parse("2026-12-03T07:09:00Z"), false, "job-7", "balance 0")));
        String none = BudgetTable.render(report(null));

        assertThat(ended.lines()).contains("  Givon account not held: the last hold ended 2026-12-03T07:09:00Z (job job-7)");
        assertThat(ended).doesNotContain("balance 0");
        assertThat(none).doesNotContain("Givon account");
    }

    private static BudgetReport report(AccountHold hold) {
        return new BudgetReport("troupe.budget", READ_AT, List.of(), List.of("*"), 0, 0, hold);
    }
}
