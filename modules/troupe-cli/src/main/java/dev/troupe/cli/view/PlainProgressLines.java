package dev.troupe.cli.view;

import dev.troupe.client.results.BatchProgress;
import java.io.PrintWriter;
import java.time.Duration;

/** A progress line every interval while something changed, for output that is not a terminal. */
final class PlainProgressLines implements ProgressView {

    private final PrintWriter out;
    private final long intervalNanos;
    private long lastLine = System.nanoTime();
    private int lastDone = -1;

    PlainProgressLines(PrintWriter out, Duration interval) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void onProgress(BatchProgress progress) {
        long now = System.nanoTime();
        if (now - lastLine >= intervalNanos && progress.done() != lastDone) {
            print(progress);
        }
    }

    @Override
    public void finish(BatchProgress progress) {
        if (progress.done() != lastDone) {
            print(progress);
        }
    }

    private void print(BatchProgress progress) {
        lastLine = System.nanoTime();
        lastDone = progress.done();
        out.println("progress: " + ProgressView.summaryLine(progress));
        out.flush();
    }
}
