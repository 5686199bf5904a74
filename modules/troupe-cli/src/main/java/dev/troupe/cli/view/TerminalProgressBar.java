package dev.troupe.cli.view;

import dev.troupe.client.results.BatchProgress;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import java.io.PrintWriter;

/** A one-line bar redrawn in place ({@code \r} and erase-to-end-of-line), at most ten times a second. */
final class TerminalProgressBar implements ProgressView {

    private static final int WIDTH = 16;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private long lastDraw;

    TerminalProgressBar(PrintWriter out) {
        this.out = out;
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
        out.print("\r" + bar(progress) + " " + compactLine(progress) + "\u001b[K");
        out.flush();
    }

    /** Short enough for an 80-column terminal: a wrapped line could not be redrawn in place. */
    static String compactLine(BatchProgress p) {
        StringBuilder line = new StringBuilder();
        line.append(p.done());
        if (p.expected() >= 0) {
            line.append('/').append(p.expected());
        }
        line.append("  ").append(p.count(JobStatus.SUCCEEDED)).append(" ok  ").append(p.unsuccessful()).append(" failed  ")
                .append(Numbers.tokens(p.tokens())).append(" tokens  ").append(Numbers.rate(p.jobsPerSecond())).append(" jobs/s");
        if (!p.complete()) {
            line.append("  ETA ").append(p.eta().map(Numbers::duration).orElse("--"));
        }
        return line.toString();
    }

    static String bar(BatchProgress progress) {
        if (progress.expected() <= 0) {
            return "[" + "?".repeat(WIDTH) + "]";
        }
        int filled = (int) Math.min(WIDTH, (long) progress.done() * WIDTH / progress.expected());
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    }
}
