package dev.troupe.worker.budget;

import dev.troupe.model.Tokens;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reserved and spent tokens of one budget key, per window. Holds the current window and past windows
 * that still have open reservations; nothing else. Not thread-safe: {@link TokenBudget} guards it.
 */
final class TenantLedger {

    private final BudgetRule rule;
    private final Map<Long, WindowTotals> windows = new HashMap<>();
    private long latest = Long.MIN_VALUE;
    private Tokens overspend = Tokens.ZERO;

    TenantLedger(BudgetRule rule) {
        this.rule = rule;
    }

    BudgetRule rule() {
        return rule;
    }

    /**
     * The window charged at {@code now}, never earlier than one already charged: a clock stepping back
     * over a boundary must not reopen a window whose spend has been dropped.
     */
    long currentWindow(Instant now) {
        return Math.max(rule.windowIndex(now), latest);
    }

    /** Moves to the window of {@code now}, dropping past windows without open reservations. */
    long advanceTo(Instant now) {
        long current = currentWindow(now);
        if (current != latest) {
            latest = current;
            windows.entrySet().removeIf(entry -> entry.getKey() < current && entry.getValue().open == 0);
        }
        return current;
    }

    Tokens remaining(long window) {
        WindowTotals totals = windows.get(window);
        if (totals == null) {
            return rule.limit();
        }
        return Tokens.max(Tokens.ZERO, rule.limit().minus(totals.reserved).minus(totals.spent));
    }

    void reserve(long window, Tokens amount) {
        WindowTotals totals = windows.computeIfAbsent(window, w -> new WindowTotals());
        totals.reserved = totals.reserved.plus(amount);
        totals.open++;
    }

    void settle(Reservation reservation, Tokens actualCost) {
        WindowTotals totals = close(reservation);
        totals.spent = totals.spent.plus(actualCost);
        if (actualCost.exceeds(reservation.amount())) {
            overspend = overspend.plus(actualCost.minus(reservation.amount()));
        }
        dropIfClosedAndPast(reservation.window(), totals);
    }

    void release(Reservation reservation) {
        dropIfClosedAndPast(reservation.window(), close(reservation));
    }

    Tokens reserved(Instant now) {
        WindowTotals totals = windows.get(currentWindow(now));
        return totals == null ? Tokens.ZERO : totals.reserved;
    }

    Tokens spent(Instant now) {
        WindowTotals totals = windows.get(currentWindow(now));
        return totals == null ? Tokens.ZERO : totals.spent;
    }

    Tokens remaining(Instant now) {
        return remaining(currentWindow(now));
    }

    Tokens overspend() {
        return overspend;
    }

    int windowsHeld() {
        return windows.size();
    }

    private WindowTotals close(Reservation reservation) {
        // Present: a window is only dropped once it has no open reservation, and this one was open.
        WindowTotals totals = windows.get(reservation.window());
        totals.reserved = totals.reserved.minus(reservation.amount());
        totals.open--;
        return totals;
    }

    private void dropIfClosedAndPast(long window, WindowTotals totals) {
        if (window < latest && totals.open == 0) {
            windows.remove(window);
        }
    }

    private static final class WindowTotals {
        Tokens reserved = Tokens.ZERO;
        Tokens spent = Tokens.ZERO;
        int open;
    }
}
