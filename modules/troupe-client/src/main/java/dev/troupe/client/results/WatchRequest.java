package dev.troupe.client.results;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What to watch on the results topic and when to stop.
 *
 * @param batchId          only results of this batch, or null for every result
 * @param expectedJobIds   the jobs awaited: the watch is complete once each has a result of its latest run
 *                         (null: unknown)
 * @param expectedRuns     the latest run of each awaited job that was sent again ({@code troupe retry});
 *                         a job not in it is awaited at run 1
 * @param expectedJobs     without {@code expectedJobIds}: how many distinct jobs of the batch make it complete
 *                         (its descriptor's count; any run of a job counts), or -1 (unknown)
 * @param stopAtEnd        stop at the end the topic had when the watch started (an export of what is there)
 * @param timeout          give up after this long, or null to wait until complete or stopped
 * @param progressInterval how often {@link ProgressListener#onProgress} is called
 */
public record WatchRequest(String batchId, Set<String> expectedJobIds, Map<String, Integer> expectedRuns, int expectedJobs,
        boolean stopAtEnd, Duration timeout, Duration progressInterval) {

    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMillis(500);

    public WatchRequest {
        expectedJobIds = expectedJobIds == null ? null : Set.copyOf(expectedJobIds);
        expectedRuns = expectedRuns == null ? Map.of() : Map.copyOf(expectedRuns);
        expectedJobs = expectedJobIds != null ? expectedJobIds.size() : expectedJobs;
        if (expectedJobs < -1 || expectedJobs == 0) {
            throw new IllegalArgumentException("expectedJobs must be at least 1, or -1 for unknown, got " + expectedJobs);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        progressInterval = progressInterval == null ? DEFAULT_PROGRESS_INTERVAL : progressInterval;
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progressInterval must be positive, got " + progressInterval);
        }
    }

    /** Until every one of these jobs of the batch has a result. */
    public static WatchRequest untilComplete(String batchId, Set<String> expectedJobIds) {
        return new WatchRequest(batchId, expectedJobIds, Map.of(), -1, false, null, null);
    }

    /** Until every one of these jobs of the batch has a result of its latest run ({@code latestRuns}: jobId to run). */
    public static WatchRequest untilComplete(String batchId, Map<String, Integer> latestRuns) {
        Map<String, Integer> retried = new LinkedHashMap<>();
        latestRuns.forEach((jobId, run) -> {
            if (run > 1) {
                retried.put(jobId, run);
            }
        });
        return new WatchRequest(batchId, latestRuns.keySet(), retried, -1, false, null, null);
    }

    /** Until {@code jobs} distinct jobs of the batch have a result: the count its descriptor on troupe.batches gives. */
    public static WatchRequest untilCount(String batchId, int jobs) {
        return new WatchRequest(batchId, null, Map.of(), jobs, false, null, null);
    }

    /** The run of {@code jobId} whose result the watch waits for. */
    public int expectedRun(String jobId) {
        return expectedRuns.getOrDefault(jobId, 1);
    }

    /** What the topic holds now (optionally of one batch), then stop. */
    public static WatchRequest toCurrentEnd(String batchId) {
        return new WatchRequest(batchId, null, Map.of(), -1, true, null, null);
    }

    /** Every new result until stopped. */
    public static WatchRequest follow(String batchId) {
        return new WatchRequest(batchId, null, Map.of(), -1, false, null, null);
    }

    public WatchRequest withTimeout(Duration value) {
        return new WatchRequest(batchId, expectedJobIds, expectedRuns, expectedJobs, stopAtEnd, value, progressInterval);
    }

    public WatchRequest withProgressInterval(Duration value) {
        return new WatchRequest(batchId, expectedJobIds, expectedRuns, expectedJobs, stopAtEnd, timeout, value);
    }

    public int expectedCount() {
        return expectedJobs;
    }
}
