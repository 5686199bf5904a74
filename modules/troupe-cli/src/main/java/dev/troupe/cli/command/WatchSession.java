package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.SignalGuard;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.view.Numbers;
import dev.troupe.cli.view.ProgressView;
import dev.troupe.cli.view.SummaryTable;
import dev.troupe.client.results.BatchStates;
import dev.troupe.client.results.ExportFormat;
import dev.troupe.client.results.ProgressFeed;
import dev.troupe.client.results.ProgressListener;
import dev.troupe.client.results.ResultExport;
import dev.troupe.client.results.ResultsWatcher;
import dev.troupe.client.results.WatchOutcome;
import dev.troupe.client.results.WatchRequest;
import dev.troupe.model.JobCodec;
import dev.troupe.model.MotionJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Watching a batch with live progress, then the summary and an optional export: shared by demo, batch and watch. */
final class WatchSession {

    static final Duration PLAIN_PROGRESS_INTERVAL = Duration.ofSeconds(2);

    private WatchSession() {
    }

    /**
     * Watches with a progress view until the request says stop; Ctrl-C ends the watch early. The
     * caller holds the exit ({@link SignalGuard}) so that its summary can show what was seen.
     */
    static WatchOutcome watch(TroupeConfig config, CliContext context, PrintWriter out, WatchRequest request, JobCodec codec) {
        return watch(config, context, out, request, codec, null);
    }

    /**
     * The same, showing where the batch's jobs are ({@code states}, fed from {@code troupe.progress} and
     * told each result here) in the progress line; {@code states} may be null.
     */
    static WatchOutcome watch(TroupeConfig config, CliContext context, PrintWriter out, WatchRequest request, JobCodec codec,
                              BatchStates states) {
        java.time.Clock clock = java.time.Clock.systemUTC();
        ProgressView view = ProgressView.of(out, context.terminal(), context.columns(), PLAIN_PROGRESS_INTERVAL,
                states == null ? null : () -> states.states().text(clock.instant()));
        ProgressListener listener = states == null ? view : new ProgressListener() {
            @Override
            public void onResult(dev.troupe.model.JobResult result, dev.troupe.client.results.BatchProgress progress) {
                states.accept(result);
                view.onResult(result, progress);
            }

            @Override
            public void onProgress(dev.troupe.client.results.BatchProgress progress) {
                view.onProgress(progress);
            }
        };
        WatchOutcome outcome = watch(config, request, codec, listener);
        view.finish(outcome.progress());
        return outcome;
    }

    /**
     * Watches one batch as {@link #watch} does, with where its jobs are (queued, parked and why, at Givon,
     * finished: from {@code topics.progress}, when it exists) in the progress line; then prints the
     * summary titled {@code title} and, after it, where the jobs ended.
     */
    static WatchOutcome watchBatch(TroupeConfig config, CliContext context, PrintWriter out, WatchRequest request, JobCodec codec,
                                   BatchStates states, java.util.function.Function<WatchOutcome, String> title) {
        try (ProgressFeed feed = progressFeed(config, states)) {
            WatchOutcome outcome = watch(config, context, out, request, codec, feed == null ? null : states);
            printSummary(out, title.apply(outcome), outcome);
            if (feed != null) {
                feed.awaitCaughtUp(config.kafka().timeout());
                outcome.results().forEach(states::accept);
                out.println("Jobs: " + states.states().text(java.time.Instant.now()));
                out.flush();
            }
            return outcome;
        }
    }

    /** Each job of a batch sent now with its run, for {@link BatchStates}. */
    static Map<String, Integer> runsOf(List<MotionJob> jobs) {
        Map<String, Integer> runs = new LinkedHashMap<>();
        jobs.forEach(job -> runs.put(job.jobId(), job.run()));
        return runs;
    }

    /**
     * Reads {@code topics.progress} for the batch's job states, from its start; null (nothing shown) when
     * that topic does not exist: workers without it send no progress.
     */
    static ProgressFeed progressFeed(TroupeConfig config, BatchStates states) {
        String topic = config.topics().progress().name();
        try {
            config.kafka().requireTopics(java.util.List.of(topic));
        } catch (dev.troupe.client.MissingTopicsException e) {
            return null;
        }
        return ProgressFeed.start(config.kafka(), topic, states);
    }

    /** Watches until the request says stop or Ctrl-C / SIGTERM arrives. */
    static WatchOutcome watch(TroupeConfig config, WatchRequest request, JobCodec codec, ProgressListener listener) {
        ResultsWatcher watcher = new ResultsWatcher(config.kafka(), config.topics().results().name(), codec);
        Thread stopOnSignal = new Thread(watcher::stop, "troupe-watch-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            return watcher.watch(request, listener);
        } finally {
            SignalGuard.removeHook(stopOnSignal);
        }
    }

    static void printSummary(PrintWriter out, String title, WatchOutcome outcome) {
        out.println();
        out.println(title);
        out.println();
        out.print(SummaryTable.render(outcome.results()));
        if (outcome.progress().setAside() > 0) {
            out.println("(" + Numbers.count(outcome.progress().setAside(), "earlier or repeated result") + " set aside: each job shows its latest run;"
                    + " tokens count every run)");
        }
        out.flush();
    }

    /** The export's format, checked before anything is read: from --format, else the file's extension. */
    static ExportFormat exportFormat(Path file, ExportFormat explicit) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new CliFailure(ExitCodes.USAGE, "--output " + file + " is a directory: name a file (.jsonl or .csv)");
        }
        return explicit != null ? explicit : ExportFormat.of(file).orElseThrow(() -> new CliFailure(ExitCodes.USAGE,
                "--output " + file + ": say --format jsonl or --format csv (or name the file .jsonl or .csv)"));
    }

    static void export(PrintWriter err, Path file, ExportFormat explicit, WatchOutcome outcome, JobCodec codec) {
        ExportFormat format = exportFormat(file, explicit);
        try {
            ResultExport.write(file, format, outcome.results(), codec);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILURE, "cannot write " + file + ": " + e.getMessage());
        }
        err.println("wrote " + Numbers.count(outcome.results().size(), "result") + " to " + file + " ("
                + format.name().toLowerCase() + ")");
        err.flush();
    }
}
