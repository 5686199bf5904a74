package dev.troupe.cli;

import dev.troupe.testkit.KafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A configuration file naming fresh topics on the shared cluster, so tests never see each other's records. */
record TestTopics(Path config, String jobs, String results, String progress, String state, String budget, String dlq) {

    static TestTopics create(KafkaCluster kafka, Path directory) throws IOException {
        String suffix = kafka.uniqueTopic("t").substring(2);
        TestTopics topics = new TestTopics(directory.resolve("troupe-" + suffix + ".yaml"), "jobs-" + suffix, "results-" + suffix,
                "progress-" + suffix, "state-" + suffix, "budget-" + suffix, "dlq-" + suffix);
        Files.writeString(topics.config(), """
                kafka:
                  bootstrap.servers: %s
                topics:
                  jobs: {name: %s, partitions: 3, retention: 1d}
                  results: {name: %s, partitions: 2, retention: forever}
                  progress: {name: %s, partitions: 1}
                  state: {name: %s, partitions: 3}
                  budget: {name: %s, partitions: 3}
                  dlq: {name: %s, partitions: 1}
                worker:
                  group-id: workers-%s
                """.formatted(kafka.bootstrapServers(), topics.jobs, topics.results, topics.progress, topics.state,
                topics.budget, topics.dlq, suffix));
        return topics;
    }

    /** Creates them through the CLI, as a user would. */
    TestTopics created() {
        CliRun.Result created = CliRun.run("topics", "create", "--config", config.toString());
        if (created.exitCode() != 0) {
            throw new IllegalStateException("topics create failed: " + created);
        }
        return this;
    }
}
