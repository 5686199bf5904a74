package dev.troupe.cli.view;

import dev.troupe.client.results.BatchProgress;
import dev.troupe.client.results.ProgressListener;
import dev.troupe.model.JobStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Live progress of a batch: a bar redrawn in place on a terminal, or a plain line now and then when
 * the output is a file or a pipe (so logs stay readable).
 */
public interface ProgressView extends ProgressListener {

    /** Draws the final state and ends the line. */
    void finish(BatchProgress progress);

    /** @param columns the terminal's width, which the redrawn bar never reaches */
    static ProgressView of(PrintWriter out, boolean terminal, int columns, Duration plainInterval) {
        return of(out, terminal, columns, plainInterval, null);
    }

    /**
     * @param jobStates where the jobs are now ({@code queued 3, parked 2 (...), at Givon 4, finished 11}, from
     *                  {@code troupe.progress}), shown after the figures; null for none
     */
    static ProgressView of(PrintWriter out, boolean terminal, int columns, Duration plainInterval, Supplier<String> jobStates) {
        return terminal ? new TerminalProgressBar(out, columns, jobStates) : new PlainProgressLines(out, plainInterval, jobStates);
    }

    /** {@code 24/48 done  23 succeeded  1 failed  1,008 tokens  3.2 jobs/s  ETA 8s} */
    static String summaryLine(BatchProgress p) {
        StringBuilder line = new StringBuilder();
        line.append(p.done());
        if (p.expected() >= 0) {
            line.append('/').append(p.expected());
        }
        line.append(" done  ").append(p.count(JobStatus.SUCCEEDED)).append(" succeeded  ")
                .append(p.unsuccessful()).append(" failed");
        int rejected = p.count(JobStatus.REJECTED) + p.count(JobStatus.EXPIRED);
        if (rejected > 0) {
            line.append(" (").append(rejected).append(" rejected/expired)");
        }
        if (p.retrying() > 0) {
            line.append("  ").append(p.retrying()).append(" retrying");
        }
        line.append("  ").append(Numbers.tokens(p.tokens())).append(" tokens  ")
                .append(Numbers.rate(p.jobsPerSecond())).append(" jobs/s");
        if (!p.complete()) {
            line.append("  ETA ").append(p.eta().map(Numbers::duration).orElse("--"));
        }
        return line.toString();
    }
}
