package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.view.Numbers;
import dev.troupe.cli.view.TextTable;
import dev.troupe.client.JobSubmitter;
import dev.troupe.client.retry.RetryPlan;
import dev.troupe.client.retry.RetryPlanner;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe retry}: sends the jobs whose latest run did not succeed again, as their next run. */
@Command(name = "retry", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Send a batch's failed jobs again, as their next run.",
        description = {
            "Reads the results topic for the latest run of each job of the batch (or of the jobs named with --job), "
                    + "keeps those whose latest run ended in one of --status, finds their records on the jobs topic and "
                    + "sends each again with the next run number. The workers run a job once per run: a job sent again "
                    + "with the same run is answered once and paid once, a retry is a new generation, paid again."},
        footer = {"", "Examples:",
            "  troupe retry --batch spring-showcase --dry-run",
            "  troupe retry --batch spring-showcase --status FAILED,EXPIRED,REJECTED",
            "  troupe retry --job spring-showcase-0007"})
public final class RetryCommand implements Callable<Integer> {

    /** Statuses retried when --status is not given: the ones a new run may change. */
    static final Set<JobStatus> DEFAULT_STATUSES = EnumSet.of(JobStatus.FAILED, JobStatus.EXPIRED);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--batch", paramLabel = "ID", description = "The batch whose jobs to retry.")
    String batchId;

    @Option(names = "--job", paramLabel = "ID", description = "Only this job (repeatable); without --batch, of any batch.")
    List<String> jobIds = List.of();

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "Retry jobs whose latest run ended so: ${COMPLETION-CANDIDATES} (default: FAILED,EXPIRED).")
    Set<JobStatus> statuses;

    @Option(names = "--dry-run", description = "Print what would be sent and its cost, and send nothing.")
    boolean dryRun;

    public RetryCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchId == null && jobIds.isEmpty()) {
            throw new CliFailure(ExitCodes.USAGE, "retry needs --batch ID or --job ID");
        }
        Set<JobStatus> wanted = statuses == null || statuses.isEmpty() ? DEFAULT_STATUSES : statuses;
        if (wanted.contains(JobStatus.SUCCEEDED) && jobIds.isEmpty()) {
            throw new CliFailure(ExitCodes.USAGE, "--status SUCCEEDED runs (and pays for) succeeded jobs again: name them with --job");
        }
        TroupeConfig config = common.load(context, err);
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        config.kafka().awaitReachable();
        String results = config.topics().results().name();
        String jobs = config.topics().jobs().name();
        config.kafka().requireTopics(List.of(jobs, results));
        RetryPlan plan = new RetryPlanner(config.kafka(), codec, ModelCatalog.builtIn())
                .plan(results, jobs, new RetryPlanner.Selection(batchId, new LinkedHashSet<>(jobIds), wanted));

        String scope = batchId != null ? "batch " + batchId : Numbers.count(jobIds.size(), "job") + " named";
        for (RetryPlan.Left left : plan.left()) {
            err.println("not retried: " + left.jobId() + ": " + left.reason());
        }
        if (plan.setAside() > 0) {
            out.println("(" + Numbers.count(plan.setAside(), "earlier or repeated result") + " of " + scope
                    + " set aside: each job counts by its latest run)");
        }
        if (plan.retries().isEmpty()) {
            out.println("Nothing to retry in " + scope + ": no job's latest run ended " + statusList(wanted) + ".");
            return plan.left().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
        TextTable table = new TextTable().leftAligned(0, 1, 3).row("jobId", "latest", "run", "reason", "tokens");
        for (RetryPlan.Retry retry : plan.retries()) {
            table.row(retry.next().jobId(), retry.latest().status(), retry.latest().run() + " -> " + retry.next().run(),
                    retry.latest().error() == null ? "" : retry.latest().error().code(), Numbers.tokens(retry.cost()));
        }
        out.print(table.render("  "));
        String summary = Numbers.count(plan.retries().size(), "job") + " of " + scope + ", "
                + Numbers.tokens(plan.cost()) + " tokens estimated";
        if (dryRun) {
            out.println("Would send " + summary + ". Nothing was sent (--dry-run).");
            return ExitCodes.OK;
        }
        try (JobSubmitter submitter = JobSubmitter.create(config.kafka(), jobs, codec)) {
            submitter.submitAll(plan.retries().stream().map(RetryPlan.Retry::next).toList());
        }
        out.println("Sent " + summary + " to " + jobs + "."
                + (batchId == null ? "" : " Follow them with: troupe watch --batch " + batchId));
        return ExitCodes.OK;
    }

    private static String statusList(Set<JobStatus> statuses) {
        return String.join(" or ", statuses.stream().map(Enum::name).sorted().toList());
    }
}
