package dev.troupe.client.results;

import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a watched batch stands: results seen per status, tokens accounted, pace and what is left.
 *
 * @param expected      results awaited in all, or -1 when unknown
 * @param byStatus      distinct jobs per terminal status of the run awaited (their latest)
 * @param tokens        sum of the results' {@code costTokens}
 * @param elapsed       time since the watch started
 * @param jobsPerSecond results per second since the first of them started (0 until known)
 * @param setAside      results not shown: earlier runs of a job, and repeats of a run already seen
 * @param unreadable    records on the results topic that are not job results (ignored)
 * @param retrying      jobs sent again ({@code troupe retry}) with a result of an earlier run only: not done
 */
public record BatchProgress(int expected, Map<JobStatus, Integer> byStatus, Tokens tokens, Duration elapsed,
        double jobsPerSecond, int setAside, int unreadable, int retrying) {

    public BatchProgress {
        EnumMap<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, byStatus == null ? 0 : byStatus.getOrDefault(status, 0));
        }
        byStatus = Map.copyOf(counts);
    }

    public int count(JobStatus status) {
        return byStatus.get(status);
    }

    public int done() {
        return byStatus.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** FAILED, REJECTED and EXPIRED together. */
    public int unsuccessful() {
        return done() - count(JobStatus.SUCCEEDED);
    }

    public boolean complete() {
        return expected >= 0 && done() >= expected;
    }

    /** Time left at the current pace, when the total and the pace are known. */
    public Optional<Duration> eta() {
        if (expected < 0 || jobsPerSecond <= 0) {
            return Optional.empty();
        }
        int left = Math.max(0, expected - done());
        return Optional.of(Duration.ofMillis((long) (left / jobsPerSecond * 1000)));
    }
}
