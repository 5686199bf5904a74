package dev.troupe.cli.command;

import dev.troupe.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code troupe topics}: groups the topic commands; without one it is a bad command line. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        header = "Manage Troupe's Kafka topics.",
        description = {
            "Subcommands: create."},
        subcommands = TopicsCreateCommand.class)
public final class TopicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
