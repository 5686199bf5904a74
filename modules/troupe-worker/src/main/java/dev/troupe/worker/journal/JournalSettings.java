package dev.troupe.worker.journal;

import dev.troupe.worker.WorkerConfig;
import java.time.Duration;

/**
 * How a {@link KafkaJobJournal} runs.
 *
 * @param stateTopic      the journal topic, co-partitioned with the jobs topic
 * @param retention       finished entries older than this are dropped (and tombstoned) by a restore
 * @param restorePatience how long a restore waits for a broker that does not answer (restarting,
 *                        say) without progress before it fails
 * @param closeTimeout    how long {@link KafkaJobJournal#close()} waits for unacknowledged writes, then for restores to stop
 * @param restoreThreads  restores that run at once, each with its own consumer
 */
public record JournalSettings(String stateTopic, Duration retention, Duration restorePatience, Duration closeTimeout,
                              int restoreThreads) {

    public static final Duration DEFAULT_RESTORE_PATIENCE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RESTORE_THREADS = 4;

    public JournalSettings {
        if (stateTopic == null || stateTopic.isBlank()) {
            throw new IllegalArgumentException("topics.state must be set (non-blank)");
        }
        requirePositive(retention, "journal.retention");
        requirePositive(restorePatience, "restorePatience");
        requirePositive(closeTimeout, "closeTimeout");
        if (restoreThreads < 1 || restoreThreads > 64) {
            throw new IllegalArgumentException("restoreThreads must be 1..64, got " + restoreThreads);
        }
    }

    /** The topic and retention of the worker's configuration, with the default patience, close timeout and threads. */
    public static JournalSettings of(WorkerConfig config) {
        return new JournalSettings(config.topics().state(), config.journal().retention(), DEFAULT_RESTORE_PATIENCE,
                DEFAULT_CLOSE_TIMEOUT, DEFAULT_RESTORE_THREADS);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
