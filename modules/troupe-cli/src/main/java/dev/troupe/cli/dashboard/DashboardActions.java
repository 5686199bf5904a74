package dev.troupe.cli.dashboard;

import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.client.ControlSender;
import dev.troupe.client.JobSubmitter;
import dev.troupe.client.retry.RetryPlan;
import dev.troupe.client.retry.RetryPlanner;
import dev.troupe.model.ControlCodec;
import dev.troupe.model.ControlCommand;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * What the dashboard's buttons do, through the CLI's own client code: a cancel, pause or resume is one
 * {@link ControlCommand} on {@code troupe.control} ({@link ControlSender}, as {@code troupe cancel} sends it); a
 * retry is {@code troupe retry}'s plan ({@link RetryPlanner}) sent by a {@link JobSubmitter}. Blocking: called on a
 * worker thread, never an event loop.
 */
final class DashboardActions implements AutoCloseable {

    /** What a retry sent and left alone. */
    record Retried(int sent, List<RetryPlan.Left> left) {
    }

    private final TroupeConfig config;
    private final JobCodec codec;
    private final Clock clock;
    private final ControlCodec controlCodec = new ControlCodec();
    private ControlSender sender;

    DashboardActions(TroupeConfig config, JobCodec codec, Clock clock) {
        this.config = config;
        this.codec = codec;
        this.clock = clock;
    }

    /** Sends the command; its key says what it targets ({@code batch:<id>}, {@code tenant:<t>}, {@code fleet}). */
    synchronized ControlCommand send(ControlCommand command) {
        controlCodec.encode(command); // refuses a bad id or reason before anything is sent
        if (sender == null) {
            sender = new ControlSender(config.kafka(), config.topics().control().name());
        }
        sender.send(command);
        return command;
    }

    ControlCommand cancel(String batchId, String reason) {
        return send(ControlCommand.cancelBatch(batchId, clock.instant(), reason));
    }

    ControlCommand pause(String tenant, String reason) {
        return send(ControlCommand.pause(tenant, clock.instant(), reason));
    }

    ControlCommand resume(String tenant, String reason) {
        return send(ControlCommand.resume(tenant, clock.instant(), reason));
    }

    Retried retry(String batchId, Set<JobStatus> statuses) {
        String results = config.topics().results().name();
        String jobs = config.topics().jobs().name();
        RetryPlan plan = new RetryPlanner(config.kafka(), codec, ModelCatalog.builtIn())
                .plan(results, jobs, new RetryPlanner.Selection(batchId, Set.of(), statuses));
        if (!plan.retries().isEmpty()) {
            try (JobSubmitter submitter = JobSubmitter.create(config.kafka(), jobs, codec)) {
                submitter.submitAll(plan.retries().stream().map(RetryPlan.Retry::next).toList());
            }
        }
        return new Retried(plan.retries().size(), plan.left());
    }

    String controlTopic() {
        return config.topics().control().name();
    }

    @Override
    public synchronized void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
