package dev.troupe.cli.config;

import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.limit.ConcurrencyConfig;
import dev.troupe.worker.runner.RetryPolicy;
import java.time.Duration;

/**
 * The {@code worker.*} keys.
 *
 * @param maxUnfinishedRecords null for the worker's own choice (max(1000, 4 x concurrency))
 * @param maxParkedBytes       record bytes jobs parked on spent budgets may hold before partitions pause
 * @param eventLoops           Vert.x event loops the worker runs its jobs on, each taking a share of the partitions
 * @param outOfTokensPause     how long submissions stop after Givon says the account is out of tokens
 * @param opsPort              port of /metrics and /health/*; 0 = any free port, -1 = none
 */
public record WorkerSettings(String groupId, ConcurrencyConfig concurrency, Integer maxUnfinishedRecords, long maxParkedBytes,
        int eventLoops, int dedupeWindow, Duration revocationGrace, Duration shutdownGrace, Duration outOfTokensPause, WorkerConfig.Circuit circuit,
        RetryPolicy retry, String opsHost, int opsPort) {

    public WorkerSettings withConcurrency(int maxConcurrency) {
        ConcurrencyConfig changed = new ConcurrencyConfig(maxConcurrency, concurrency.decreaseFactor(),
                concurrency.additiveIncrease(), concurrency.minDecreaseInterval(), concurrency.maxPause());
        return new WorkerSettings(groupId, changed, maxUnfinishedRecords, maxParkedBytes, eventLoops, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, circuit, retry, opsHost, opsPort);
    }

    public WorkerSettings withGroupId(String value) {
        return new WorkerSettings(value, concurrency, maxUnfinishedRecords, maxParkedBytes, eventLoops, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, circuit, retry, opsHost, opsPort);
    }

    public WorkerSettings withOps(String host, int port) {
        return new WorkerSettings(groupId, concurrency, maxUnfinishedRecords, maxParkedBytes, eventLoops, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, circuit, retry, host, port);
    }

    public WorkerSettings withRetry(RetryPolicy value) {
        return new WorkerSettings(groupId, concurrency, maxUnfinishedRecords, maxParkedBytes, eventLoops, dedupeWindow, revocationGrace, shutdownGrace,
                outOfTokensPause, circuit, value, opsHost, opsPort);
    }

    public WorkerSettings withGraces(Duration revocation, Duration shutdown) {
        return new WorkerSettings(groupId, concurrency, maxUnfinishedRecords, maxParkedBytes, eventLoops, dedupeWindow, revocation, shutdown,
                outOfTokensPause, circuit, retry, opsHost, opsPort);
    }
}
