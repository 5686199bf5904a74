package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.view.StatusJson;
import dev.troupe.cli.view.StatusText;
import dev.troupe.client.status.JobStory;
import dev.troupe.client.status.JobStoryReader;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe status JOBID}: one job's whole story, read from the one partition of each topic that holds it. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Show one job's whole story: every run, its journal state, its progress events, its results and the worker that ran it.",
        description = {
            "Reads, read_committed and outside any group, the partition of the jobs, results and progress topics the jobId "
                    + "hashes to (every record of the job: each run sent, every result of every run, the latest progress "
                    + "events of each run: admitted, parked until when and why, submitted, retrying, finished) and the "
                    + "same-numbered partition of the journal topic (each run's latest entry: submitting, at Givon with its "
                    + "generation, parked until when, finished). Prints the job, then each run, and names the run whose "
                    + "result is the job's outcome (its latest run with a result).",
            "--format json prints one document, schema " + StatusJson.SCHEMA + " (job-status.schema.json)."},
        footer = {"", "Examples:",
            "  troupe status spring-showcase:ada:salsa:stage",
            "  troupe status job:9f64a95e76061441 --format json | jq '.runs[] | {run, status: .result.status}'"})
public final class StatusCommand implements Callable<Integer> {

    enum Format { TEXT, JSON }

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "JOBID", description = "The job's id, as sent (the Kafka key of its records).")
    String jobId;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.TEXT;

    public StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (jobId.isEmpty() || jobId.length() > 128 || !jobId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new CliFailure(ExitCodes.USAGE, "JOBID must be 1 to 128 printable characters without spaces");
        }
        TroupeConfig config = common.load(context, err);
        config.kafka().awaitReachable();
        String jobs = config.topics().jobs().name();
        String results = config.topics().results().name();
        config.kafka().requireTopics(List.of(jobs, results));
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        JobStory story = new JobStoryReader(config.kafka(), codec, ModelCatalog.builtIn(), Clock.systemUTC())
                .read(new JobStoryReader.Topics(jobs, results, config.journal().enabled() ? config.topics().state().name() : null,
                        config.topics().progress().name()), jobId);
        if (!story.known()) {
            throw new CliFailure(ExitCodes.FAILURE, "no job " + jobId + " on " + jobs + " or " + results);
        }
        out.print(format == Format.JSON ? StatusJson.render(story) + System.lineSeparator() : StatusText.render(story));
        return ExitCodes.OK;
    }
}
