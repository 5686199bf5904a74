package dev.troupe.cli.view;

import dev.troupe.client.results.BatchProgress;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * A progress line every interval while something changed (a result, or where the jobs are), for output
 * that is not a terminal.
 */
final class PlainProgressLines implements ProgressView {

    private final PrintWriter out;
    private final long intervalNanos;
    private long lastLine = System.nanoTime();
    private int lastDone = -1;
    private String lastStates;
    private final java.util.function.Supplier<String> jobStates;

    PlainProgressLines(PrintWriter out, Duration interval) {
        this(out, interval, null);
    }

    PlainProgressLines(PrintWriter out, Duration interval, java.util.function.Supplier<String> jobStates) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
        this.jobStates = jobStates;
    }

    @Override
    public void onProgress(BatchProgress progress) {
        long now = System.nanoTime();
        if (now - lastLine >= intervalNanos && (progress.done() != lastDone || !java.util.Objects.equals(states(), lastStates))) {
            print(progress);
        }
    }

    @Override
    public void finish(BatchProgress progress) {
        if (progress.done() != lastDone || !java.util.Objects.equals(states(), lastStates)) {
            print(progress);
        }
    }

    private String states() {
        return jobStates == null ? null : jobStates.get();
    }

    private void print(BatchProgress progress) {
        lastLine = System.nanoTime();
        lastDone = progress.done();
        lastStates = states();
        out.println("progress: " + ProgressView.summaryLine(progress) + (lastStates == null ? "" : "  |  " + lastStates));
        out.flush();
    }
}
