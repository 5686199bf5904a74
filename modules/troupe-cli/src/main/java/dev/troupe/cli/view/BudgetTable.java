package dev.troupe.cli.view;

import dev.troupe.cli.budget.AccountHold;
import dev.troupe.cli.budget.BudgetReport;
import dev.troupe.cli.budget.BudgetWindow;
import dev.troupe.model.BudgetEntry;
import dev.troupe.model.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code troupe budget}'s table: one row per limited budget and window, then the Givon account's hold and the
 * unlimited budgets, each on one line.
 */
public final class BudgetTable {

    private static final String PARTIAL = "(partial)";

    private BudgetTable() {
    }

    public static String render(BudgetReport report) {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder();
        text.append("Budgets on ").append(report.topic()).append(" at ").append(report.readAt()).append(": ")
                .append(Numbers.count(report.applied(), "record")).append(nl);
        boolean partial = false;
        if (!report.windows().isEmpty()) {
            TextTable table = new TextTable().leftAligned(1, 2, 3, 4)
                    .row("budget", "window", "start", "end", "policy", "limit", "spent", "reserved", "open", "remaining", "overspend",
                            "parked");
            for (BudgetWindow w : report.windows()) {
                partial |= !w.complete();
                table.row(name(w.budget()), w.which().name().toLowerCase(Locale.ROOT) + (w.complete() ? "" : " " + PARTIAL), w.start(),
                        w.end(), w.policy().name().toLowerCase(Locale.ROOT), Numbers.tokens(w.limit()), Numbers.tokens(w.spent()),
                        Numbers.tokens(w.reserved()), Numbers.count(w.openReservations()), Numbers.tokens(w.remaining()),
                        w.overspend().equals(Tokens.ZERO) ? "-" : Numbers.tokens(w.overspend()), parked(w));
            }
            text.append(nl).append(table.render("  "));
        }
        if (partial) {
            text.append("  ").append(PARTIAL).append(": some of the window's records have expired from ").append(report.topic())
                    .append(" (retention): its figures are a lower bound").append(nl);
        }
        if (report.accountHold() != null) {
            text.append(nl).append("  ").append(hold(report.accountHold(), report.readAt())).append(nl);
        }
        if (!report.unlimited().isEmpty()) {
            text.append(nl).append("  Unlimited, not in ").append(report.topic()).append(": ")
                    .append(String.join(", ", report.unlimited().stream().map(BudgetTable::name).toList())).append(nl);
        }
        return text.toString();
    }

    /** A running hold with its reason; an ended one, without (what Givon said then is no longer the point). */
    private static String hold(AccountHold hold, Instant readAt) {
        if (!hold.active()) {
            return "Givon account not held: the last hold ended " + hold.until() + " (job " + hold.jobId() + ")";
        }
        // readAt is cut to the second, so up to a second early: whole seconds, rounded down, never more than the hold.
        long leftSeconds = Math.max(1, Duration.between(readAt, hold.until()).toSeconds());
        return "Givon account held until " + hold.until() + " (" + Numbers.count(leftSeconds) + " s left): " + oneLine(hold.reason())
                + " (job " + hold.jobId() + ")";
    }

    /**
     * Text from outside made safe for one terminal line: control, format (bidi overrides), line or paragraph
     * separator characters and lone surrogates become {@code ?}, so a reason can neither break the line nor
     * move the cursor.
     */
    static String oneLine(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                        Character.SURROGATE -> safe.append('?');
                default -> safe.appendCodePoint(c);
            }
        });
        return safe.toString();
    }

    private static String name(String budget) {
        return BudgetEntry.DEFAULT_BUDGET.equals(budget) ? budget + " (default)" : budget;
    }

    /** Parked jobs of a waiting budget; a rejecting one parks none, and says how many it refused. */
    private static String parked(BudgetWindow w) {
        return switch (w.policy()) {
            case WAIT -> Numbers.count(w.parkedJobs());
            case REJECT -> w.refusedJobs() == 0 ? "-" : "- (" + Numbers.count(w.refusedJobs()) + " refused)";
        };
    }
}
