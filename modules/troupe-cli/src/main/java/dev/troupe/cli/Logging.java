package dev.troupe.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Log levels of the CLI's one backend (log4j-core, set up by {@code log4j2.xml}): WARN by default, with
 * Kafka's clients and broker at ERROR because they warn about conditions they recover from and the CLI
 * reports the ones that matter itself; {@code --verbose} shows INFO, Kafka's warnings, and DEBUG for
 * Troupe's own classes.
 */
public final class Logging {

    private static volatile boolean verbose;

    private Logging() {
    }

    public static void verbose(boolean on) {
        verbose = on;
        if (on) {
            Configurator.setRootLevel(Level.INFO);
            Configurator.setLevel("dev.troupe", Level.DEBUG);
            Configurator.setLevel("org.apache.kafka", Level.WARN);
            Configurator.setLevel("kafka", Level.WARN);
            Configurator.setLevel("state.change.logger", Level.WARN);
        }
    }

    public static boolean isVerbose() {
        return verbose;
    }
}
