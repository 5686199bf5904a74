package dev.troupe.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The JSON (UTF-8) wire form of a {@link BudgetEntry} on {@code troupe.budget}:
 * {@code {"schema":"troupe.budget/v1","kind":"RESERVE|SETTLE|RELEASE","budget","jobId",...}} and, by
 * kind, {@code amount, requestId} (reserve), {@code window, costTokens} (settle), {@code window}
 * (release), {@code holdMillis, reason} (hold, whose budget is {@value BudgetEntry#ACCOUNT}). Tokens are exact decimal strings, as in a result. Thread-safe; {@link #decode} never throws.
 */
public final class BudgetCodec {

    /** A budget record is a few hundred bytes; anything far larger is not one. */
    public static final int MAX_RECORD_BYTES = 4 * 1024;
    static final int MAX_REQUEST_ID = 200;
    static final long MAX_HOLD_MILLIS = 24L * 60 * 60 * 1000;
    private static final Pattern BUDGET = Pattern.compile("\\*|" + JobReader.TENANT.pattern());
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7e]{1," + MAX_REQUEST_ID + "}");
    private static final String BUDGET_RULE = "budget must be \"*\" or 1 to " + JobReader.MAX_TENANT
            + " characters of A-Z a-z 0-9 . _ : -";

    /** What a record value turned out to be. */
    public sealed interface Decoded {}

    public record Entry(BudgetEntry entry) implements Decoded {}

    /** Not a budget entry: the field at fault and why, bounded, on one line. */
    public record Unreadable(String field, String reason) implements Decoded {
        public Unreadable {
            field = Texts.clip(field, 200);
            reason = Violation.display(Texts.clip(reason, 600));
        }
    }

    /** @throws IllegalArgumentException naming the field and the rule an entry breaks (nothing is written the reader would refuse) */
    public byte[] encode(BudgetEntry entry) {
        Objects.requireNonNull(entry, "entry");
        try {
            check(entry);
        } catch (Refused e) {
            throw new IllegalArgumentException("budget entry " + entry.kind() + " of job " + Violation.display(entry.jobId())
                    + " cannot be written: " + e.getMessage(), e);
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", BudgetEntry.SCHEMA);
        root.put("kind", entry.kind().name());
        root.put("budget", entry.budget());
        root.put("jobId", entry.jobId());
        if (entry instanceof BudgetEntry.Reserve r) {
            root.put("amount", r.amount().toString());
            root.put("requestId", r.requestId());
        } else if (entry instanceof BudgetEntry.Settle s) {
            root.put("window", s.window());
            root.put("costTokens", s.cost().toString());
        } else if (entry instanceof BudgetEntry.Release r) {
            root.put("window", r.window());
        } else if (entry instanceof BudgetEntry.Hold h) {
            root.put("holdMillis", h.holdMillis());
            root.put("reason", h.reason());
        }
        return JobCodec.bytes(root);
    }

    public Decoded decode(byte[] value) {
        try {
            return new Entry(read(value));
        } catch (Refused e) {
            return new Unreadable(e.field, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return new Unreadable("", "the record could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static BudgetEntry read(byte[] value) {
        if (value == null || value.length == 0) {
            throw new Refused("", "the record is empty");
        }
        if (value.length > MAX_RECORD_BYTES) {
            throw new Refused("", "the record has " + value.length + " bytes, more than the " + MAX_RECORD_BYTES + " a budget record may have");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(JobCodec.strictUtf8(value));
        } catch (JsonProcessingException e) {
            throw new Refused("", JobCodec.notJson(e));
        } catch (IllegalArgumentException e) {
            throw new Refused("", e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Refused("", "the record is not a JSON object");
        }
        if (!BudgetEntry.SCHEMA.equals(text(root, "schema"))) {
            throw new Refused("schema", "schema must be \"" + BudgetEntry.SCHEMA + "\"");
        }
        String kind = text(root, "kind");
        String budget = text(root, "budget");
        String jobId = text(root, "jobId");
        BudgetEntry entry = switch (kind) {
            case "RESERVE" -> new BudgetEntry.Reserve(budget, jobId, tokens(root, "amount"), text(root, "requestId"));
            case "SETTLE" -> new BudgetEntry.Settle(budget, jobId, window(root), tokens(root, "costTokens"));
            case "RELEASE" -> new BudgetEntry.Release(budget, jobId, window(root));
            case "HOLD" -> new BudgetEntry.Hold(budget, jobId, holdMillis(root), text(root, "reason"));
            default -> throw new Refused("kind", "kind must be one of " + Arrays.toString(BudgetEntry.Kind.values()) + ", got \""
                    + Violation.display(Texts.clip(kind, 40)) + "\"");
        };
        check(entry);
        return entry;
    }

    private static void check(BudgetEntry entry) {
        if (entry instanceof BudgetEntry.Hold) {
            require(BudgetEntry.ACCOUNT.equals(entry.budget()), "budget", "budget of a HOLD must be \"" + BudgetEntry.ACCOUNT + "\"");
        } else {
            require(isBudgetKey(entry.budget()), "budget", BUDGET_RULE);
        }
        require(JobReader.RUN_KEY.matcher(entry.jobId()).matches(), "jobId", "jobId must be 1 to " + JobReader.MAX_ID
                + " characters of A-Z a-z 0-9 . _ : -, and #run for a later run");
        if (entry instanceof BudgetEntry.Reserve r) {
            require(!r.amount().isNegative(), "amount", "amount must not be negative, got " + r.amount());
            require(REQUEST_ID.matcher(r.requestId()).matches(), "requestId", "requestId must be 1 to " + MAX_REQUEST_ID
                    + " printable ASCII characters without spaces");
        } else if (entry instanceof BudgetEntry.Settle s) {
            require(!s.cost().isNegative(), "costTokens", "costTokens must not be negative, got " + s.cost());
        } else if (entry instanceof BudgetEntry.Hold h) {
            require(h.holdMillis() > 0 && h.holdMillis() <= MAX_HOLD_MILLIS, "holdMillis", "holdMillis must be 1 to "
                    + MAX_HOLD_MILLIS + " (a day), got " + h.holdMillis());
        }
    }

    /** Whether {@code key} can be a budget key: {@code "*"} or a tenant name, as a record's {@code budget} field must be. */
    public static boolean isBudgetKey(String key) {
        return key != null && BUDGET.matcher(key).matches();
    }

    /** The rule {@link #isBudgetKey} checks, for messages. */
    public static String budgetKeyRule() {
        return BUDGET_RULE.substring("budget ".length());
    }

    private static void require(boolean holds, String field, String reason) {
        if (!holds) {
            throw new Refused(field, reason);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (Json.absent(node)) {
            throw new Refused(field, field + " is required");
        }
        if (!node.isTextual() || node.textValue().length() > MAX_REQUEST_ID) {
            throw new Refused(field, field + " must be a string of at most " + MAX_REQUEST_ID + " characters, got " + Json.describe(node));
        }
        return node.textValue();
    }

    private static Tokens tokens(JsonNode root, String field) {
        String text = text(root, field);
        try {
            return Tokens.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refused(field, field + " must be a decimal token amount such as \"21\": " + e.getMessage());
        }
    }

    private static long holdMillis(JsonNode root) {
        JsonNode node = root.get("holdMillis");
        if (Json.absent(node)) {
            throw new Refused("holdMillis", "holdMillis is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new Refused("holdMillis", "holdMillis must be an integer (milliseconds), got " + Json.describe(node));
        }
        return node.longValue();
    }

    private static long window(JsonNode root) {
        JsonNode node = root.get("window");
        if (Json.absent(node)) {
            throw new Refused("window", "window is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new Refused("window", "window must be an integer (a window index), got " + Json.describe(node));
        }
        return node.longValue();
    }

    private static final class Refused extends RuntimeException {
        final String field;

        Refused(String field, String reason) {
            super(reason, null, false, false);
            this.field = field;
        }
    }
}
