package dev.troupe.cli.view;

import dev.troupe.client.results.BatchProgress;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-line bar redrawn in place ({@code \r} and erase-to-end-of-line), at most ten times a second. The
 * line fits the terminal's width: a wrapped line could not be redrawn in place, so on a narrow terminal
 * the bar shrinks, then the least useful figures are left out, and at the very last the line is cut.
 */
final class TerminalProgressBar implements ProgressView {

    private static final int FULL_BAR = 16;
    private static final int SHORT_BAR = 8;
    /** Below this (the count, successes and failures) the bar gives way to the figures. */
    private static final int MIN_PARTS_WITH_BAR = 3;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final int columns;
    private final java.util.function.Supplier<String> jobStates;
    private long lastDraw;

    TerminalProgressBar(PrintWriter out, int columns) {
        this(out, columns, null);
    }

    TerminalProgressBar(PrintWriter out, int columns, java.util.function.Supplier<String> jobStates) {
        this.out = out;
        this.columns = columns;
        this.jobStates = jobStates;
    }

    @Override
    public void onResult(JobResult result, BatchProgress progress) {
        draw(progress, false);
    }

    @Override
    public void onProgress(BatchProgress progress) {
        draw(progress, false);
    }

    @Override
    public void finish(BatchProgress progress) {
        draw(progress, true);
        out.println();
        out.flush();
    }

    private void draw(BatchProgress progress, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        out.print("\r" + line(progress, columns, jobStates == null ? null : jobStates.get()) + "\u001b[K");
        out.flush();
    }

    /**
     * The bar and the figures in at most {@code columns - 1} characters (writing the last column makes
     * some terminals wrap). First the bar shrinks; then figures are left out, the rate first, then the
     * tokens, the ETA, the failures, the successes; then the bar goes; at last the count is cut.
     */
    static String line(BatchProgress p, int columns) {
        return line(p, columns, null);
    }

    /** The same, with where the jobs are ({@code states}, may be null) last when the whole line fits, else without it. */
    static String line(BatchProgress p, int columns, String states) {
        if (states != null) {
            String full = bar(p, FULL_BAR) + " " + String.join("  ", parts(p)) + "  " + states;
            return full.length() <= Math.max(1, columns - 1) ? full : line(p, columns, null);
        }
        int room = Math.max(1, columns - 1);
        List<String> parts = parts(p);
        String full = bar(p, FULL_BAR) + " " + String.join("  ", parts);
        if (full.length() <= room) {
            return full;
        }
        for (int kept = parts.size(); kept >= MIN_PARTS_WITH_BAR; kept--) {
            String line = bar(p, SHORT_BAR) + " " + String.join("  ", shown(parts, kept, !p.complete()));
            if (line.length() <= room) {
                return line;
            }
        }
        for (int kept = parts.size(); kept >= 1; kept--) {
            String line = String.join("  ", shown(parts, kept, !p.complete()));
            if (line.length() <= room) {
                return line;
            }
        }
        return parts.get(0).substring(0, Math.min(room, parts.get(0).length()));
    }

    /** {@code 30/48  28 ok  2 failed  1,057 tokens  6.7 jobs/s  ETA 3s}, as separate parts. */
    private static List<String> parts(BatchProgress p) {
        List<String> parts = new ArrayList<>();
        parts.add(p.done() + (p.expected() >= 0 ? "/" + p.expected() : ""));
        parts.add(p.count(JobStatus.SUCCEEDED) + " ok");
        parts.add(p.unsuccessful() + " failed" + (p.retrying() > 0 ? ", " + p.retrying() + " retrying" : ""));
        parts.add(Numbers.tokens(p.tokens()) + " tokens");
        parts.add(Numbers.rate(p.jobsPerSecond()) + " jobs/s");
        if (!p.complete()) {
            parts.add("ETA " + p.eta().map(Numbers::duration).orElse("--"));
        }
        return parts;
    }

    /** The first {@code kept} parts by usefulness, in display order. */
    private static List<String> shown(List<String> parts, int kept, boolean eta) {
        // Usefulness: count, ok, failed, ETA, tokens, rate (indexes into parts; ETA is last when present).
        List<Integer> byUse = new ArrayList<>(List.of(0, 1, 2));
        if (eta) {
            byUse.add(5);
        }
        byUse.add(3);
        byUse.add(4);
        List<Integer> keep = byUse.subList(0, kept);
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (keep.contains(i)) {
                shown.add(parts.get(i));
            }
        }
        return shown;
    }

    static String bar(BatchProgress progress, int width) {
        if (progress.expected() <= 0) {
            return "[" + "?".repeat(width) + "]";
        }
        int filled = (int) Math.min(width, (long) progress.done() * width / progress.expected());
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }
}
