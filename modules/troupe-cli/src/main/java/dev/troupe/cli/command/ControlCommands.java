package dev.troupe.cli.command;

import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.client.ControlSender;
import dev.troupe.model.ControlCommand;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe cancel}, {@code troupe pause} and {@code troupe resume}: commands to the whole fleet on {@code troupe.control}. */
public final class ControlCommands {

    private ControlCommands() {
    }

    /** Sends one command and says what the workers will do with it. */
    static int send(CliContext context, CommonOptions common, CommandSpec spec, ControlCommand command, String effect) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            new dev.troupe.model.ControlCodec().encode(command); // refused before anything is sent or even reached
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.INVALID_INPUT, e.getMessage());
        }
        TroupeConfig config = common.load(context, spec.commandLine().getErr());
        String topic = config.topics().control().name();
        config.kafka().awaitReachable();
        config.kafka().requireTopics(List.of(topic));
        try (ControlSender sender = new ControlSender(config.kafka(), topic)) {
            sender.send(command);
        }
        out.println(command.kind() + " " + command.key() + " sent to " + topic + ": " + effect);
        return ExitCodes.OK;
    }

    static String reason(String given) {
        if (given != null && given.length() > ControlCommand.MAX_REASON) {
            throw new CliFailure(ExitCodes.USAGE, "--reason must be at most " + ControlCommand.MAX_REASON + " characters, got "
                    + given.length());
        }
        return given;
    }

    /** Either a batch or a job. */
    static final class CancelTarget {
        @Option(names = "--batch", paramLabel = "ID", required = true, description = "Cancel the batch's jobs.")
        String batchId;

        @Option(names = "--job", paramLabel = "ID", required = true, description = "Cancel one job.")
        String jobId;
    }

    /** Either a tenant or the whole fleet. */
    static final class TenantTarget {
        @Option(names = "--tenant", paramLabel = "T", required = true, description = "Only this tenant's jobs.")
        String tenant;

        @Option(names = "--all", required = true, description = "Every tenant's jobs: the whole fleet.")
        boolean all;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
            header = "Cancel a batch or a job across the fleet.",
            description = {"Writes a CANCEL to the control topic, which every worker reads. Jobs sent until now that Givon has not "
                    + "accepted end CANCELLED (nothing is paid); a generation Givon already runs is followed to its end. Jobs "
                    + "sent after the cancel (troupe retry) run."},
            footer = {"", "Examples:", "  troupe cancel --batch spring-showcase --reason 'wrong motion clip'",
                "  troupe cancel --job spring-showcase:ada:salsa:stage"})
    public static final class Cancel implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @ArgGroup(exclusive = true, multiplicity = "1")
        CancelTarget target;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the results and the logs (at most 200 characters).")
        String reason;

        public Cancel(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Instant now = Instant.now();
            ControlCommand command = target.batchId != null ? ControlCommand.cancelBatch(target.batchId, now, reason(reason))
                    : ControlCommand.cancelJob(target.jobId, now, reason(reason));
            return send(context, common, spec, command, "the jobs Givon has not accepted end CANCELLED; those it runs finish");
        }
    }

    /** What pause and resume share: a tenant or the fleet, and why. */
    abstract static class TenantScoped implements Callable<Integer> {
        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @ArgGroup(exclusive = true, multiplicity = "1")
        TenantTarget target;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the logs (at most 200 characters).")
        String reason;

        TenantScoped(CliContext context) {
            this.context = context;
        }

        /** The tenant named, or null for the fleet. */
        String tenant() {
            return target.all ? null : target.tenant;
        }

        int send(ControlCommand command, String effect) {
            return ControlCommands.send(context, common, spec, command, effect);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, sortOptions = false,
            header = "Hold a tenant's jobs (or every job) across the fleet until resumed.",
            description = {"Writes a PAUSE to the control topic, which every worker reads. The tenant's jobs not yet at Givon wait "
                    + "(their records stay uncommitted in Kafka); other tenants' jobs flow; generations Givon runs finish."},
            footer = {"", "Examples:", "  troupe pause --tenant studio-a --reason 'invoice overdue'", "  troupe pause --all"})
    public static final class Pause extends TenantScoped {
        public Pause(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            return send(ControlCommand.pause(tenant(), Instant.now(), reason(reason)), (tenant() == null ? "every job"
                    : "the jobs of " + tenant()) + " not yet at Givon wait until: troupe resume "
                    + (tenant() == null ? "--all" : "--tenant " + tenant()));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
            header = "Let a paused tenant's jobs (or every job) go on.",
            description = {"Writes a RESUME to the control topic; it replaces the PAUSE of the same tenant (or of the fleet)."},
            footer = {"", "Examples:", "  troupe resume --tenant studio-a", "  troupe resume --all"})
    public static final class Resume extends TenantScoped {
        public Resume(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            return send(ControlCommand.resume(tenant(), Instant.now(), reason(reason)), tenant() == null
                    ? "the fleet's pause is lifted (tenants paused on their own stay paused)"
                    : "the jobs of " + tenant() + " go on (unless the whole fleet is paused)");
        }
    }
}
