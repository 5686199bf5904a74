package dev.troupe.client.manifest;

import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A manifest expanded into validated jobs, ready to send. The cost is the catalog's estimate
 * (price per second x seconds), which is also what the workers reserve against the budget.
 */
public record BatchPlan(String batchId, String tenant, List<PlannedJob> jobs) {

    public BatchPlan {
        jobs = List.copyOf(jobs);
    }

    public int size() {
        return jobs.size();
    }

    public Tokens totalTokens() {
        return jobs.stream().map(PlannedJob::cost).reduce(Tokens.ZERO, Tokens::plus);
    }

    public List<MotionJob> motionJobs() {
        return jobs.stream().map(PlannedJob::job).toList();
    }

    /** The jobIds in plan order. */
    public Set<String> jobIds() {
        Set<String> ids = new LinkedHashSet<>();
        jobs.forEach(job -> ids.add(job.jobId()));
        return ids;
    }

    /**
     * Wall-clock time to run the batch when {@code concurrency} generations run at once and each
     * takes {@code perGeneration}: the number of waves times one generation.
     */
    public Duration estimatedTime(int concurrency, Duration perGeneration) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        long waves = (jobs.size() + concurrency - 1) / concurrency;
        return perGeneration.multipliedBy(waves);
    }
}
