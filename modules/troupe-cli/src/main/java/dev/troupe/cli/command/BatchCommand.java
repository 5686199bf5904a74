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
import dev.troupe.cli.view.TextTable;
import dev.troupe.client.BatchRecords;
import dev.troupe.client.JobSubmitter;
import dev.troupe.client.manifest.BatchPlan;
import dev.troupe.client.manifest.ManifestExpander;
import dev.troupe.client.manifest.PlannedJob;
import dev.troupe.client.results.ExportFormat;
import dev.troupe.client.results.BatchStates;
import dev.troupe.client.results.WatchOutcome;
import dev.troupe.client.results.WatchRequest;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe batch <manifest>}: expand a manifest into jobs, validate all of them, send them. */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Expand a manifest into jobs, validate them all, send them.",
        description = {
            "A YAML or JSON manifest lists characters (reference photos), motions (motion videos and "
                    + "durations) and prompt templates, expanded as a matrix (every character x motion x prompt) or as "
                    + "an explicit jobs: list.",
            "",
            "Every job is validated before anything is sent; all problems are listed with their place in the "
                    + "manifest (exit 4). jobIds are derived from batchId:character:motion:prompt, so sending the same "
                    + "manifest again sends the same jobIds, which the workers do not pay for twice.",
            "",
            "Format: docs/cli.md; examples in config/examples/."},
        footer = {"", "Examples:",
            "  troupe batch config/examples/choreography.yaml --dry-run --concurrency 32",
            "  troupe batch config/examples/choreography.yaml --watch --output results.csv"})
public final class BatchCommand implements Callable<Integer> {

    static final int PLAN_ROWS_SHOWN = 20;

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "The manifest file (.yaml, .yml or .json).")
    Path manifest;

    @Option(names = "--dry-run", description = "Print the plan (job count, estimated tokens and time) and send nothing.")
    boolean dryRun;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Concurrency assumed by the time estimate (default: worker.concurrency).")
    Integer concurrency;

    @Option(names = "--generation-time", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "90s",
            description = "Time one generation is assumed to take, for the estimate (default: ${DEFAULT-VALUE}).")
    Duration generationTime;

    @Option(names = "--watch",
            description = "After sending, show progress until every job has a result, then a summary; exit 5 when not all succeeded.")
    boolean watch;

    @Option(names = "--output", paramLabel = "FILE", description = "With --watch: export the results (.jsonl or .csv).")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Export format: ${COMPLETION-CANDIDATES} (default: by file extension).")
    ExportFormat format;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --watch: give up waiting after this long (exit 1).")
    Duration timeout;

    public BatchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TroupeConfig config = common.load(context, err);
        if (!Files.isRegularFile(manifest)) {
            throw new CliFailure(ExitCodes.INVALID_INPUT, "manifest " + manifest + " does not exist or is not a file");
        }
        if (output != null && !watch) {
            throw new CliFailure(ExitCodes.USAGE, "--output needs --watch (or use: troupe watch --batch ID --output FILE)");
        }
        if (output != null) {
            WatchSession.exportFormat(output, format);
        }
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        BatchPlan plan = new ManifestExpander(codec).expand(manifest);
        int assumedConcurrency = concurrency != null ? concurrency : config.worker().concurrency().maxConcurrency();
        if (assumedConcurrency < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--concurrency must be at least 1, got " + assumedConcurrency);
        }
        if (dryRun) {
            printPlan(out, plan, assumedConcurrency, generationTime);
            return ExitCodes.OK;
        }
        config.kafka().awaitReachable();
        config.kafka().requireTopics(List.of(config.topics().jobs().name(), config.topics().results().name()));
        // The descriptor goes first, acknowledged, then the jobs. Sent the other way round, a crash in between would leave
        // jobs running and paid for that no tracker ever completes and that watch --batch can only find by scanning
        // troupe.jobs; this way it leaves at worst a descriptor without jobs: the batch shows 0 of N and sending the same
        // manifest again (same jobIds, not paid twice) writes the descriptor again and completes it.
        String batchesTopic = config.topics().batches().name();
        boolean described = config.kafka().hasTopic(batchesTopic);
        if (described) {
            BatchRecords.send(config.kafka(), batchesTopic, new BatchDescriptor(plan.batchId(), plan.tenant(), plan.jobIds().size(),
                    plan.totalTokens(), Instant.now()));
        } else {
            err.println("warning: topic " + batchesTopic + " (topics.batches) does not exist: no batch descriptor is written, so no"
                    + " completion event is published for this batch; create it with: troupe topics create");
            err.flush();
        }
        try (JobSubmitter submitter = JobSubmitter.create(config.kafka(), config.topics().jobs().name(), codec)) {
            submitter.submitAll(plan.motionJobs());
        }
        out.println("Sent " + Numbers.count(plan.size(), "job") + " of batch " + plan.batchId() + " to "
                + config.topics().jobs().name() + " (" + Numbers.tokens(plan.totalTokens()) + " tokens estimated).");
        if (described) {
            out.println("Its descriptor is on " + batchesTopic + ": the workers' batch tracker publishes its completion there.");
        }
        if (!watch) {
            out.println("Follow them with: troupe watch --batch " + plan.batchId());
            return ExitCodes.OK;
        }
        WatchRequest request = WatchRequest.untilComplete(plan.batchId(), plan.jobIds()).withTimeout(timeout);
        // Ctrl-C stops the watch; the summary and the export still come out before the JVM exits.
        try (SignalGuard guard = SignalGuard.holdExitUntilClosed()) {
            WatchOutcome outcome = WatchSession.watchBatch(config, context, out, request, codec,
                    new BatchStates(plan.batchId(), WatchSession.runsOf(plan.motionJobs())),
                    seen -> "Batch " + plan.batchId() + ": " + seen.results().size() + " of " + plan.size() + " "
                            + Numbers.noun(plan.size(), "result"));
            if (output != null) {
                WatchSession.export(err, output, format, outcome, codec);
            }
            int code = WatchCommand.exitCodeOf(outcome, plan.size(), timeout);
            if (code == ExitCodes.OK) {
                requireAllSucceeded(outcome, plan.size());
            }
            return code;
        }
    }

    /** A batch whose jobs did not all succeed is not a success, so that a script does not go on as if it were. */
    static void requireAllSucceeded(WatchOutcome outcome, int jobs) {
        Map<JobStatus, Long> unsuccessful = new EnumMap<>(JobStatus.class);
        outcome.results().stream().filter(result -> result.status() != JobStatus.SUCCEEDED)
                .forEach(result -> unsuccessful.merge(result.status(), 1L, Long::sum));
        if (unsuccessful.isEmpty()) {
            return;
        }
        long count = unsuccessful.values().stream().mapToLong(Long::longValue).sum();
        String byStatus = unsuccessful.entrySet().stream().map(e -> Numbers.count(e.getValue()) + " " + e.getKey())
                .collect(Collectors.joining(", "));
        throw new CliFailure(ExitCodes.JOBS_UNSUCCESSFUL, count + " of " + Numbers.count(jobs, "job") + " did not succeed ("
                + byStatus + "): see the summary above");
    }

    static void printPlan(PrintWriter out, BatchPlan plan, int concurrency, Duration generationTime) {
        int characters = (int) plan.jobs().stream().map(PlannedJob::character).distinct().count();
        int motions = (int) plan.jobs().stream().map(PlannedJob::motion).distinct().count();
        int prompts = (int) plan.jobs().stream().map(PlannedJob::prompt).distinct().count();
        out.println("Batch " + plan.batchId() + (plan.tenant() == null ? "" : " (tenant " + plan.tenant() + ")") + ": "
                + Numbers.count(plan.size(), "job") + " from " + Numbers.count(characters, "character") + ", "
                + Numbers.count(motions, "motion") + ", " + Numbers.count(prompts, "prompt"));
        out.println("Estimated cost: " + Numbers.tokens(plan.totalTokens()) + " tokens");
        out.println("Estimated time: " + Numbers.duration(plan.estimatedTime(concurrency, generationTime))
                + " at concurrency " + concurrency + ", assuming " + DurationText.format(generationTime)
                + " per generation");
        out.println();
        TextTable table = new TextTable().leftAligned(1, 2).row("jobId", "character", "motion", "seconds", "tokens");
        plan.jobs().stream().limit(PLAN_ROWS_SHOWN).forEach(job -> table.row(job.jobId(), job.character(), job.motion(),
                job.job().input().integer("duration").map(String::valueOf).orElse("-"), Numbers.tokens(job.cost())));
        out.print(table.render("  "));
        if (plan.size() > PLAN_ROWS_SHOWN) {
            out.println("  ... and " + (plan.size() - PLAN_ROWS_SHOWN) + " more");
        }
        out.println();
        out.println("Nothing was sent (--dry-run).");
        out.flush();
    }
}
