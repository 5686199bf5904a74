package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.ExitCodes;
import dev.troupe.model.DurationText;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.kafka.TopicProvisioner;
import dev.troupe.cli.view.TextTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code troupe topics create}: every topic with its configured partitions, retention and compaction. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Create every topic with its configured partitions, retention and compaction.",
        description = {
            "Creates jobs, results, progress, state, budget, control and dlq as the topics.* keys say. Idempotent: a "
                    + "topic that exists is left unchanged, and any difference from the configuration is reported."})
public final class TopicsCreateCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    public TopicsCreateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TroupeConfig config = common.load(context, spec.commandLine().getErr());
        config.kafka().awaitReachable();
        List<TopicProvisioner.Outcome> outcomes = TopicProvisioner.create(config.kafka(), config.topics());
        TextTable table = new TextTable().leftAligned(2, 3, 4).row("topic", "partitions", "cleanup", "retention", "status");
        for (TopicProvisioner.Outcome o : outcomes) {
            String retention = o.spec().compacted() ? "-" : o.spec().retention() == null ? "forever"
                    : DurationText.format(o.spec().retention());
            table.row(o.spec().name(), o.partitions(), o.spec().cleanupPolicy(), retention,
                    o.created() ? "created" : o.note().isEmpty() ? "exists" : "exists, " + o.note());
        }
        out.println("Topics on " + config.kafka().bootstrapServers() + ":");
        out.print(table.render("  "));
        out.flush();
        return ExitCodes.OK;
    }
}
