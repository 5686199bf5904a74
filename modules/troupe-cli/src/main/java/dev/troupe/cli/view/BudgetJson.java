package dev.troupe.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.cli.budget.AccountHold;
import dev.troupe.cli.budget.BudgetReport;
import dev.troupe.cli.budget.BudgetWindow;
import dev.troupe.model.Tokens;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * {@code troupe budget --format json}: one document on one line, schema {@value #SCHEMA}. Field names
 * are stable (listed in the command's help and docs/cli.md); tokens are exact JSON numbers, times ISO-8601 UTC.
 */
public final class BudgetJson {

    public static final String SCHEMA = "troupe.budget-report/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BudgetJson() {
    }

    public static String render(BudgetReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("topic", report.topic());
        root.put("readAt", report.readAt().toString());
        root.put("appliedRecords", report.applied());
        root.put("unreadableRecords", report.unreadable());
        ArrayNode windows = root.putArray("windows");
        for (BudgetWindow w : report.windows()) {
            ObjectNode window = windows.addObject();
            window.put("budget", w.budget());
            window.put("window", w.which().name().toLowerCase(Locale.ROOT));
            window.put("index", w.index());
            window.put("start", w.start().toString());
            window.put("end", w.end().toString());
            window.put("policy", w.policy().name().toLowerCase(Locale.ROOT));
            window.put("limit", number(w.limit()));
            window.put("spent", number(w.spent()));
            window.put("reserved", number(w.reserved()));
            window.put("openReservations", w.openReservations());
            window.put("remaining", number(w.remaining()));
            window.put("overspend", number(w.overspend()));
            window.put("parkedJobs", w.parkedJobs());
            window.put("refusedJobs", w.refusedJobs());
            window.put("complete", w.complete());
        }
        ArrayNode unlimited = root.putArray("unlimited");
        report.unlimited().forEach(unlimited::add);
        AccountHold hold = report.accountHold();
        if (hold == null) {
            root.putNull("accountHold");
        } else {
            ObjectNode held = root.putObject("accountHold");
            held.put("until", hold.until().toString());
            held.put("active", hold.active());
            held.put("jobId", hold.jobId());
            held.put("reason", hold.reason());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a budget report could not be written as JSON", e);
        }
    }

    /** {@code 100}, not {@code 1E+2}: exact, and plain. */
    private static BigDecimal number(Tokens tokens) {
        BigDecimal value = tokens.toBigDecimal();
        return value.scale() < 0 ? value.setScale(0) : value;
    }
}
