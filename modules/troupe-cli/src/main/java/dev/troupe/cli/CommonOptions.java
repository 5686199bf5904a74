package dev.troupe.cli;

import dev.troupe.cli.config.ConfigLoader;
import dev.troupe.cli.config.TroupeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every Kafka-facing command takes: where the configuration and Kafka are, and how chatty to be. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: $TROUPE_CONFIG, else config/troupe.yaml in this directory or in $TROUPE_HOME, else built-in defaults).")
    Path config;

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers; overrides kafka.bootstrap.servers (default 127.0.0.1:9092).")
    String kafka;

    @Option(names = "--kafka-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for Kafka before giving up with exit code 3; overrides cli.kafka-timeout (default 15s).")
    Duration kafkaTimeout;

    @Option(names = {"-v", "--verbose"}, description = "Show INFO logs (DEBUG for Troupe) on stderr.")
    boolean verbose;

    /** Applies --verbose, loads the configuration with the flags on top, and prints its warnings. */
    public TroupeConfig load(CliContext context, PrintWriter err) {
        Logging.verbose(verbose);
        ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.ofNullable(config), context.environment());
        loaded.warnings().forEach(warning -> err.println("troupe: warning: " + warning));
        if (verbose) {
            err.println("troupe: configuration from " + loaded.origin());
        }
        TroupeConfig result = loaded.config();
        if (kafka != null) {
            try {
                result = result.withBootstrapServers(kafka);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, "--kafka: " + e.getMessage());
            }
        }
        if (kafkaTimeout != null) {
            try {
                result = result.withKafkaTimeout(kafkaTimeout);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, "--kafka-timeout: " + e.getMessage());
            }
        }
        return result;
    }

    /** True when --kafka was given. */
    public boolean kafkaGiven() {
        return kafka != null;
    }
}
