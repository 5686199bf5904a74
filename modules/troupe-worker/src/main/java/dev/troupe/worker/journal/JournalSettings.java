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

    /** The topic and retention of the worker's configuration, a patience that outlasts a dead worker's transaction, the default close timeout and threads. */
    public static JournalSettings of(WorkerConfig config) {
        return new JournalSettings(config.topics().state(), config.journal().retention(), restorePatience(config),
                DEFAULT_CLOSE_TIMEOUT, DEFAULT_RESTORE_THREADS);
    }

    /**
     * A dead worker's open transaction holds a restore back until the broker aborts it: its
     * transaction timeout, plus up to the broker's check interval
     * ({@code transaction.abort.timed.out.transaction.cleanup.interval.ms}, 10 s by default).
     */
    static Duration restorePatience(WorkerConfig config) {
        Duration transactionHold = config.results().exactlyOnce()
                ? config.results().transactionTimeout().plus(TRANSACTION_ABORT_CHECK).plus(Duration.ofSeconds(10)) : Duration.ZERO;
        return transactionHold.compareTo(DEFAULT_RESTORE_PATIENCE) > 0 ? transactionHold : DEFAULT_RESTORE_PATIENCE;
    }

    /** The broker's default {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}. */
    static final Duration TRANSACTION_ABORT_CHECK = Duration.ofSeconds(10);

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
