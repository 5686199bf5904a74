package dev.troupe.cli.budget;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code troupe budget} shows at one moment.
 *
 * @param topic      the budget topic read
 * @param readAt     when the windows were taken (this machine's clock chooses the current window)
 * @param windows    the current and previous window of each limited budget shown, by budget key
 * @param unlimited  budget keys shown that have no limit: the workers keep them to themselves, not in the log
 * @param applied    records applied to the budgets shown
 * @param unreadable records skipped as not budget records
 * @param accountHold the Givon account's hold read that ends latest, running or not; null when none was read
 */
public record BudgetReport(String topic, Instant readAt, List<BudgetWindow> windows, List<String> unlimited, long applied,
                           long unreadable, AccountHold accountHold) {

    public BudgetReport {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(readAt, "readAt");
        windows = List.copyOf(windows);
        unlimited = List.copyOf(unlimited);
    }

    /** Whether {@code other} says the same apart from when it was taken: a redraw that changes nothing is skipped. */
    public boolean sameFiguresAs(BudgetReport other) {
        return other != null && windows.equals(other.windows) && unlimited.equals(other.unlimited) && applied == other.applied
                && unreadable == other.unreadable && Objects.equals(accountHold, other.accountHold);
    }
}
