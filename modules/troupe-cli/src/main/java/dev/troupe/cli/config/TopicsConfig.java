package dev.troupe.cli.config;

import dev.troupe.worker.WorkerConfig;
import java.util.List;

/**
 * The topics of a Troupe installation (see DESIGN.md): jobs in, results out, progress events, batches, the
 * compacted per-job journal and budget ledger, and the dead-letter topic.
 *
 * @param replicationFactor replicas per partition for topics Troupe creates; -1 uses the broker's default
 */
public record TopicsConfig(int replicationFactor, TopicSpec jobs, TopicSpec results, TopicSpec progress, TopicSpec state,
        TopicSpec budget, TopicSpec deadLetter, TopicSpec control, TopicSpec batches) {

    public TopicsConfig {
        if (replicationFactor == 0 || replicationFactor < -1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replication-factor must be -1 (broker default) or at least 1, got "
                    + replicationFactor);
        }
    }

    public List<TopicSpec> all() {
        return List.of(jobs, results, progress, state, budget, control, batches, deadLetter);
    }

    public WorkerConfig.Topics forWorker() {
        return new WorkerConfig.Topics(jobs.name(), results.name(), deadLetter.name(), state.name(), budget.name(), control.name(),
                progress.name(), batches.name());
    }
}
