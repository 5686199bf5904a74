package dev.troupe.cli;

import dev.troupe.cli.command.BatchCommand;
import dev.troupe.cli.command.BudgetCommand;
import dev.troupe.cli.command.ControlCommands;
import dev.troupe.cli.command.DashboardCommand;
import dev.troupe.cli.command.DemoCommand;
import dev.troupe.cli.command.RetryCommand;
import dev.troupe.cli.command.SimCommand;
import dev.troupe.cli.command.StatusCommand;
import dev.troupe.cli.command.SubmitCommand;
import dev.troupe.cli.command.TopicsCommand;
import dev.troupe.cli.command.WatchCommand;
import dev.troupe.cli.command.WorkerCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code troupe}: the root command; it only lists its subcommands. Without one it is a bad command line. */
@Command(name = "troupe",
        mixinStandardHelpOptions = true,
        versionProvider = TroupeVersion.class,
        sortOptions = false,
        header = "Troupe: bulk motion-transfer rendering on Givon's Kling Motion API, fed by Kafka.",
        description = {
            "Start with `troupe demo`: an in-JVM Kafka, a Givon simulator and a worker render a sample "
                    + "choreography batch. Every command takes --help."},
        subcommands = {DemoCommand.class, WorkerCommand.class, SubmitCommand.class, BatchCommand.class,
            WatchCommand.class, RetryCommand.class, StatusCommand.class, ControlCommands.Cancel.class, ControlCommands.Pause.class,
            ControlCommands.Resume.class, BudgetCommand.class, DashboardCommand.class, TopicsCommand.class, SimCommand.class},
        footer = {"", "Configuration: config/troupe.yaml (every key documented there); TROUPE_<KEY> variables override it.",
            "Docs: README.md and docs/cli.md."})
public final class TroupeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
