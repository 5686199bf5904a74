package dev.troupe.cli;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.testkit.KafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A configuration file naming fresh topics on the shared cluster, so tests never see each other's records. */
record TestTopics(Path config, String jobs, String results, String progress, String state, String budget, String dlq,
                  String groupId, String control, String batches) {

    static TestTopics create(KafkaCluster kafka, Path directory) throws IOException {
        return create(kafka, directory, 3);
    }

    /** With {@code jobPartitions} partitions of the jobs topic, and as many of the state topic (they are co-partitioned). */
    static TestTopics create(KafkaCluster kafka, Path directory, int jobPartitions) throws IOException {
        String suffix = kafka.uniqueTopic("t").substring(2);
        TestTopics topics = new TestTopics(directory.resolve("troupe-" + suffix + ".yaml"), "jobs-" + suffix, "results-" + suffix,
                "progress-" + suffix, "state-" + suffix, "budget-" + suffix, "dlq-" + suffix, "workers-" + suffix, "control-" + suffix,
                "batches-" + suffix);
        Files.writeString(topics.config(), """
                kafka:
                  bootstrap.servers: %s
                topics:
                  jobs: {name: %s, partitions: %d, retention: 1d}
                  results: {name: %s, partitions: 2, retention: forever}
                  progress: {name: %s, partitions: 1}
                  state: {name: %s, partitions: %d}
                  budget: {name: %s, partitions: 3}
                  dlq: {name: %s, partitions: 1}
                  control: {name: %s}
                  batches: {name: %s, partitions: 2}
                worker:
                  group-id: %s
                # Off unless a test asks for it (withTracker): a Streams app per worker costs the busy tests CPU.
                tracker:
                  enabled: false
                """.formatted(kafka.bootstrapServers(), topics.jobs, jobPartitions, topics.results, topics.progress, topics.state,
                jobPartitions, topics.budget, topics.dlq, topics.control, topics.batches, topics.groupId));
        return topics;
    }

    /** The workers run the batch tracker, as they do by default outside these tests. */
    TestTopics withTracker() throws IOException {
        Files.writeString(config, Files.readString(config).replace("tracker:\n  enabled: false\n", "tracker:\n  enabled: true\n"));
        return this;
    }

    /** Creates them through the CLI, as a user would. */
    TestTopics created() {
        CliRun.Result created = CliRun.run("topics", "create", "--config", config.toString());
        if (created.exitCode() != 0) {
            throw new IllegalStateException("topics create failed: " + created);
        }
        return this;
    }

    /**
     * Points the workers at {@code simulator} with quick polling, and lets the group notice a killed
     * member after 6 s (the broker's minimum) instead of the default 45 s.
     */
    TestTopics pointedAt(GivonSimulator simulator) throws IOException {
        String text = Files.readString(config)
                .replace("kafka:\n", "kafka:\n  session.timeout.ms: 6000\n  heartbeat.interval.ms: 1000\n");
        Files.writeString(config, text + """
                givon:
                  base-url: %s
                  poll: {initial: 20ms, max: 100ms, multiplier: 2.0}
                """.formatted(simulator.baseUrl()));
        return this;
    }
}
