package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.DurationConverter;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.SignalGuard;
import dev.troupe.model.DurationText;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.view.Numbers;
import dev.troupe.client.BatchRecords;
import dev.troupe.client.results.BatchJobs;
import dev.troupe.client.results.BatchProgress;
import dev.troupe.client.results.BatchStates;
import dev.troupe.client.results.ExportFormat;
import dev.troupe.client.results.ProgressListener;
import dev.troupe.client.results.WatchOutcome;
import dev.troupe.client.results.WatchRequest;
import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe watch}: results from the results topic, a batch's progress until it completes, and exports. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Show results and a batch's progress; export them as JSONL or CSV.",
        description = {
            "Reads the results topic as a read_committed consumer. With --batch it takes the batch's job count "
                    + "from its descriptor on the batches topic (or, for a batch without one or with jobs retried, from "
                    + "each job's latest run on the jobs topic) and shows progress until each has a result, then a "
                    + "summary; a batch whose completion event is there already (and none of its jobs retried) ends at "
                    + "once with it. From the progress "
                    + "topic it also shows how many jobs are queued, parked (on which budget, until when), at Givon and "
                    + "finished. Without --batch "
                    + "it lists the results the topic holds (--follow keeps going). --output exports the results seen."},
        footer = {"", "Examples:",
            "  troupe watch --batch spring-showcase",
            "  troupe watch --batch spring-showcase --output results.csv",
            "  troupe watch --follow"})
public final class WatchCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--batch", paramLabel = "ID", description = "Only this batch, until every one of its jobs has a result.")
    String batchId;

    @Option(names = "--follow", description = "Without --batch: keep printing new results until Ctrl-C.")
    boolean follow;

    @Option(names = "--output", paramLabel = "FILE", description = "Export the results seen to FILE (.jsonl or .csv).")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Export format: ${COMPLETION-CANDIDATES} (default: by file extension).")
    ExportFormat format;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after this long (exit 1 when the batch is not complete by then).")
    Duration timeout;

    public WatchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TroupeConfig config = common.load(context, err);
        if (batchId != null && follow) {
            throw new CliFailure(ExitCodes.USAGE, "--follow is for all results; --batch already waits until the batch is complete");
        }
        if (output != null) {
            WatchSession.exportFormat(output, format);
        }
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        config.kafka().awaitReachable();
        config.kafka().requireTopics(List.of(config.topics().results().name()));
        // Ctrl-C stops the watch; the summary and the export still come out before the JVM exits.
        try (SignalGuard guard = SignalGuard.holdExitUntilClosed()) {
            WatchOutcome outcome;
            int expected = -1;
            if (batchId != null) {
                String batchesTopic = config.topics().batches().name();
                BatchRecords.Found found = config.kafka().hasTopic(batchesTopic)
                        ? BatchRecords.read(config.kafka(), batchesTopic, batchId)
                        : new BatchRecords.Found(Optional.empty(), Optional.empty());
                // A retried job's later run is in no descriptor or completion (they describe the batch as sent): the
                // jobs topic tells each job's latest run, and a batch with one retried is watched by them.
                config.kafka().requireTopics(List.of(config.topics().jobs().name()));
                Map<String, Integer> jobIds = BatchJobs.latestRuns(config.kafka(), config.topics().jobs().name(), batchId);
                boolean retried = jobIds.values().stream().anyMatch(run -> run > MotionJob.FIRST_RUN);
                if (found.completion().isPresent() && output == null && !retried) {
                    // The tracker already summed it up: nothing to wait for or to read from the results.
                    BatchCompletion done = found.completion().get();
                    out.println("Batch " + batchId + ": complete, from its completion event on " + batchesTopic);
                    printCompletion(out, done);
                    return ExitCodes.OK; // as a watch that saw every result: complete is 0, whatever the statuses
                }
                WatchRequest request;
                BatchStates states;
                if (found.descriptor().isPresent() && !retried) {
                    BatchDescriptor descriptor = found.descriptor().get();
                    expected = descriptor.jobs();
                    out.println("Batch " + batchId + ": " + Numbers.count(expected, "job") + ", " + Numbers.tokens(descriptor.estimatedTokens())
                            + " tokens estimated, from its descriptor on " + batchesTopic);
                    request = WatchRequest.untilCount(batchId, expected);
                    states = new BatchStates(batchId, expected);
                } else {
                    // No descriptor (jobs sent by a producer of its own), or jobs retried: each job's latest run counts.
                    if (jobIds.isEmpty()) {
                        throw new CliFailure(ExitCodes.FAILURE, "unknown batch " + batchId + ": no job of it is on "
                                + config.topics().jobs().name() + " and no descriptor on " + batchesTopic
                                + " (a different batchId, or its jobs expired by retention?)");
                    }
                    expected = jobIds.size();
                    out.println("Batch " + batchId + ": " + Numbers.count(expected, "job") + " on " + config.topics().jobs().name()
                            + (retried ? " (some retried: each job's latest run counts)"
                                    : " (no descriptor on " + batchesTopic + ": counted by scanning the jobs)"));
                    request = WatchRequest.untilComplete(batchId, jobIds);
                    states = new BatchStates(batchId, jobIds);
                }
                int jobs = expected;
                outcome = WatchSession.watchBatch(config, context, out, request.withTimeout(timeout), codec, states,
                        seen -> "Batch " + batchId + ": " + seen.results().size() + " of " + jobs + " " + Numbers.noun(jobs, "result"));
            } else {
                WatchRequest request = (follow ? WatchRequest.follow(null) : WatchRequest.toCurrentEnd(null)).withTimeout(timeout);
                outcome = WatchSession.watch(config, request, codec, new ResultLines(out));
                WatchSession.printSummary(out, Numbers.count(outcome.results().size(), "result") + " on "
                        + config.topics().results().name(), outcome);
            }
            if (output != null) {
                WatchSession.export(err, output, format, outcome, codec);
            }
            return exitCodeOf(outcome, expected, timeout);
        }
    }

    /** The tracker's summary of a batch: counts, tokens and the jobs that did not succeed. */
    static void printCompletion(PrintWriter out, BatchCompletion done) {
        StringBuilder counts = new StringBuilder();
        done.counts().forEach((status, count) -> {
            if (count > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(Numbers.count(count)).append(' ').append(status);
            }
        });
        out.println("  " + Numbers.count(done.jobs(), "job") + ": " + counts + "; " + Numbers.tokens(done.costTokens())
                + " tokens charged; completed " + done.completedAt());
        for (BatchCompletion.Unsuccessful job : done.unsuccessful()) {
            out.println("  " + job.status() + " " + job.jobId() + (job.run() > 1 ? " (run " + job.run() + ")" : "")
                    + (job.code() == null ? "" : "  " + job.code() + (job.message() == null ? "" : ": " + job.message())));
        }
        if (done.unlisted() > 0) {
            out.println("  ... and " + Numbers.count(done.unlisted()) + " more that did not succeed (troupe watch --batch "
                    + done.batchId() + " --output FILE lists every result)");
        }
        out.flush();
    }

    /** 0 unless the watch gave up before the batch was complete. */
    static int exitCodeOf(WatchOutcome outcome, int expected, Duration timeout) {
        return switch (outcome.ending()) {
            case COMPLETE, END_OF_TOPIC -> ExitCodes.OK;
            case STOPPED -> ExitCodes.FAILURE;
            case TIMED_OUT -> {
                if (expected < 0) {
                    yield ExitCodes.OK;
                }
                throw new CliFailure(ExitCodes.FAILURE, "gave up after " + DurationText.format(timeout) + ": "
                        + outcome.results().size() + " of " + Numbers.count(expected, "job")
                        + " have a result; the others are still queued"
                        + " or running (watch again later, or raise --timeout)");
            }
        };
    }

    /** One line per result, for watching without a batch. */
    private static final class ResultLines implements ProgressListener {
        private final PrintWriter out;

        ResultLines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onResult(JobResult result, BatchProgress progress) {
            String detail = result.videoUrl() != null ? result.videoUrl()
                    : result.error() == null ? "" : result.error().code() + ": " + result.error().message();
            out.println(String.format("%-9s %s  %s tokens  %s", result.status(), result.jobId(),
                    Numbers.tokens(result.costTokens()), detail));
            out.flush();
        }
    }
}
