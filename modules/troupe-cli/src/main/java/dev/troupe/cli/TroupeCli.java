package dev.troupe.cli;

import dev.troupe.cli.config.ConfigException;
import dev.troupe.client.InvalidJobException;
import dev.troupe.client.KafkaUnreachableException;
import dev.troupe.client.MissingTopicsException;
import dev.troupe.client.manifest.InvalidManifestException;
import dev.troupe.givon.sim.SimulatorFlags;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * The {@code troupe} entry point. {@link #execute} runs a command line in-process with given streams
 * and environment, which is how the tests drive it.
 */
public final class TroupeCli {

    private TroupeCli() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(CliContext.ofProcess(), out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code (see {@link ExitCodes}). */
    public static int execute(CliContext context, PrintWriter out, PrintWriter err, String... args) {
        return commandLine(context, out, err).execute(args);
    }

    static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TroupeCommand(), new ContextFactory(context));
        cli.setOut(out);
        cli.setErr(err);
        // picocli already exits with 2 on a bad command line and 1 on an unhandled error, as ExitCodes documents.
        cli.setExecutionExceptionHandler(TroupeCli::handle);
        cli.setParameterExceptionHandler(TroupeCli::handleBadCommandLine);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        setExitCodeHelp(cli);
        cli.setUsageHelpAutoWidth(true);
        // The simulator's own flags are passed through; list them in its help.
        CommandLine sim = cli.getSubcommands().get("sim");
        sim.getCommandSpec().usageMessage().footer(("%n" + SimulatorFlags.usage().replace("%", "%%")).split("\n"));
        return cli;
    }

    private static void setExitCodeHelp(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.descriptions());
        cli.getSubcommands().values().forEach(TroupeCli::setExitCodeHelp);
    }

    /**
     * A bad command line: picocli's one-line reason, its suggestions for a misspelt option or command, and
     * where the usage is; not the whole usage, which would push the reason off the screen.
     */
    private static int handleBadCommandLine(CommandLine.ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + error.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(error, err);
        err.println("Try '" + name + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Turns the failures a user can act on into one message and an exit code; anything else is a bug report. */
    private static int handle(Exception error, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        int code;
        String message;
        if (error instanceof CliFailure failure) {
            code = failure.exitCode();
            message = failure.getMessage();
        } else if (error instanceof KafkaUnreachableException unreachable) {
            code = ExitCodes.KAFKA_UNREACHABLE;
            message = unreachable.getMessage() + System.lineSeparator()
                    + "  Is Kafka running there? Point troupe at it with --kafka HOST:PORT or TROUPE_KAFKA_BOOTSTRAP_SERVERS,"
                    + System.lineSeparator() + "  or start a local one with: ./troupe demo --keep-running";
        } else if (error instanceof MissingTopicsException missing) {
            code = ExitCodes.FAILURE;
            message = missing.getMessage();
        } else if (error instanceof InvalidManifestException | error instanceof InvalidJobException
                | error instanceof ConfigException) {
            code = ExitCodes.INVALID_INPUT;
            message = error.getMessage();
        } else {
            code = ExitCodes.FAILURE;
            message = "unexpected error: " + error + (Logging.isVerbose() ? "" : " (run with --verbose for details)");
        }
        err.println(name + ": " + message);
        if (code == ExitCodes.USAGE) {
            err.println("Try '" + name + " --help'.");
        }
        if (Logging.isVerbose() && !(error instanceof CliFailure)) {
            error.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Gives commands that want it the {@link CliContext} through their constructor. */
    private static final class ContextFactory implements CommandLine.IFactory {
        private final CliContext context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ContextFactory(CliContext context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(CliContext.class);
                return constructor.newInstance(context);
            } catch (NoSuchMethodException e) {
                return fallback.create(type);
            }
        }
    }
}
