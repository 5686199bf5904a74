package dev.troupe.cli.view;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Texts;
import dev.troupe.model.Tokens;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-of-batch summary, computed only from results (as read back from the results topic): jobs and
 * tokens per status, per character when the jobs carry a {@code character} in their metadata, and the
 * first jobs that did not succeed with their reason. The same results always render the same text, and a
 * batch of any size renders a bounded one: long lists show their first rows and count the rest.
 */
public final class SummaryTable {

    static final int FAILURES_SHOWN = 10;
    static final int CHARACTERS_SHOWN = 20;
    /** A reason is Givon's or a validator's text: one line, and short enough to read in a table. */
    static final int REASON_CHARS = 160;

    private SummaryTable() {
    }

    public static String render(Collection<JobResult> results) {
        StringBuilder text = new StringBuilder();
        text.append(byStatus(results));
        if (results.stream().anyMatch(r -> r.metadata().containsKey("character"))) {
            text.append(System.lineSeparator()).append(byCharacter(results));
        }
        List<JobResult> unsuccessful = results.stream().filter(r -> r.status() != JobStatus.SUCCEEDED)
                .sorted(Comparator.comparing(JobResult::jobId)).toList();
        if (!unsuccessful.isEmpty()) {
            text.append(System.lineSeparator()).append("  Jobs that did not succeed")
                    .append(unsuccessful.size() > FAILURES_SHOWN ? " (first " + FAILURES_SHOWN + " of " + unsuccessful.size() + ")" : "")
                    .append(':').append(System.lineSeparator());
            TextTable failures = new TextTable().leftAligned(1, 2);
            unsuccessful.stream().limit(FAILURES_SHOWN).forEach(r -> failures.row(r.jobId(), r.status(), reason(r)));
            text.append(failures.render("  "));
            text.append(more(unsuccessful.size() - FAILURES_SHOWN, ""));
        }
        return text.toString();
    }

    private static String byStatus(Collection<JobResult> results) {
        Map<JobStatus, Integer> jobs = new EnumMap<>(JobStatus.class);
        Map<JobStatus, Tokens> tokens = new EnumMap<>(JobStatus.class);
        for (JobResult r : results) {
            jobs.merge(r.status(), 1, Integer::sum);
            tokens.merge(r.status(), r.costTokens(), Tokens::plus);
        }
        TextTable table = new TextTable().row("status", "jobs", "tokens");
        for (JobStatus status : JobStatus.values()) {
            table.row(status, Numbers.count(jobs.getOrDefault(status, 0)), Numbers.tokens(tokens.getOrDefault(status, Tokens.ZERO)));
        }
        Tokens total = results.stream().map(JobResult::costTokens).reduce(Tokens.ZERO, Tokens::plus);
        table.row("total", Numbers.count(results.size()), Numbers.tokens(total));
        return table.render("  ");
    }

    private static String byCharacter(Collection<JobResult> results) {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Tokens> tokens = new TreeMap<>();
        for (JobResult r : results) {
            String character = r.metadata().getOrDefault("character", "(none)");
            int[] c = counts.computeIfAbsent(character, key -> new int[2]);
            c[r.status() == JobStatus.SUCCEEDED ? 0 : 1]++;
            tokens.merge(character, r.costTokens(), Tokens::plus);
        }
        TextTable table = new TextTable().row("character", "jobs", "succeeded", "not succeeded", "tokens");
        counts.entrySet().stream().limit(CHARACTERS_SHOWN).forEach(entry -> {
            int[] c = entry.getValue();
            table.row(entry.getKey(), Numbers.count(c[0] + c[1]), Numbers.count(c[0]), Numbers.count(c[1]),
                    Numbers.tokens(tokens.get(entry.getKey())));
        });
        int hidden = counts.size() - CHARACTERS_SHOWN;
        return table.render("  ") + more(hidden, " " + Numbers.noun(hidden, "character"));
    }

    /** {@code   ... and 37 more} under a cut list, nothing when nothing was cut. */
    private static String more(int hidden, String what) {
        return hidden <= 0 ? "" : "    ... and " + Numbers.count(hidden) + " more" + what + System.lineSeparator();
    }

    private static String reason(JobResult r) {
        if (r.error() == null) {
            return "";
        }
        String message = r.error().message() == null ? "" : ": " + r.error().message();
        return BudgetTable.oneLine(Texts.clip(r.error().code() + message, REASON_CHARS));
    }
}
