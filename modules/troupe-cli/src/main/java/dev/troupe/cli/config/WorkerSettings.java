package dev.troupe.cli.config;

import dev.troupe.worker.limit.ConcurrencyConfig;
import dev.troupe.worker.runner.RetryPolicy;
import java.time.Duration;

/**
 * The {@code worker.*} keys.
 *
 * @param maxUnfinishedRecords null for the worker's own choice (max(1000, 4 x concurrency))
 * @param outOfTokensPause     how long submissions stop after Givon says the account is out of tokens
 * @param opsPort              port of /metrics and /health/*; 0 = any free port, -1 = none
 */
public record WorkerSettings(String groupId, ConcurrencyConfig concurrency, Integer maxUnfinishedRecords, int dedupeWindow,
        Duration revocationGrace, Duration shutdownGrace, Duration outOfTokensPause, RetryPolicy retry, String opsHost,
        int opsPort) {

    public WorkerSettings withConcurrency(int maxConcurrency) {
        ConcurrencyConfig changed = new ConcurrencyConfig(maxConcurrency, concurrency.decreaseFactor(),
                concurrency.additiveIncrease(), concurrency.minDecreaseInterval(), concurrency.maxPause());
        return new WorkerSettings(groupId, changed, maxUnfinishedRecords, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, retry, opsHost, opsPort);
    }

    public WorkerSettings withGroupId(String value) {
        return new WorkerSettings(value, concurrency, maxUnfinishedRecords, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, retry, opsHost, opsPort);
    }

    public WorkerSettings withOps(String host, int port) {
        return new WorkerSettings(groupId, concurrency, maxUnfinishedRecords, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, retry, host, port);
    }

    public WorkerSettings withRetry(RetryPolicy value) {
        return new WorkerSettings(groupId, concurrency, maxUnfinishedRecords, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, value, opsHost, opsPort);
    }

    public WorkerSettings withGraces(Duration revocation, Duration shutdown) {
        return new WorkerSettings(groupId, concurrency, maxUnfinishedRecords, dedupeWindow, revocation, shutdown,
                outOfTokensPause, retry, opsHost, opsPort);
    }
}
