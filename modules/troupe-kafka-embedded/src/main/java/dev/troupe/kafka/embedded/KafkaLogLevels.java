package dev.troupe.kafka.embedded;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Turns the broker's thousands of INFO lines down to WARN when the application logs through
 * log4j-core. Levels are set in code rather than by shipping a log4j2 file: a configuration file
 * in a library jar would fight the application's own. A logger the application's configuration
 * names, or one already at WARN or quieter, is left alone.
 */
final class KafkaLogLevels {

    private static final List<String> BROKER_LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger");

    private KafkaLogLevels() {
    }

    static void quiet() {
        if (log4jCorePresent()) {
            Log4jCore.quiet();
        }
    }

    // log4j-core arrives with kafka-server, but an application may exclude it.
    private static boolean log4jCorePresent() {
        try {
            Class.forName("org.apache.logging.log4j.core.LoggerContext", false, KafkaLogLevels.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loaded only once log4j-core is known to be on the class path. */
    private static final class Log4jCore {

        static void quiet() {
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
                return; // log4j-api routed to another backend: its configuration decides
            }
            Configuration configuration = context.getConfiguration();
            Map<String, Level> levels = new HashMap<>();
            for (String name : BROKER_LOGGERS) {
                boolean named = configuration.getLoggers().containsKey(name);
                Level effective = configuration.getLoggerConfig(name).getLevel();
                if (!named && effective.isLessSpecificThan(Level.INFO)) {
                    levels.put(name, Level.WARN);
                }
            }
            if (!levels.isEmpty()) {
                Configurator.setLevel(levels);
            }
        }
    }
}
