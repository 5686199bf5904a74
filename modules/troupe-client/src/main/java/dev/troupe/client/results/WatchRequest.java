package dev.troupe.client.results;

import java.time.Duration;
import java.util.Set;

/**
 * What to watch on the results topic and when to stop.
 *
 * @param batchId          only results of this batch, or null for every result
 * @param expectedJobIds   the jobs awaited: the watch is complete once each has a result (null: unknown)
 * @param stopAtEnd        stop at the end the topic had when the watch started (an export of what is there)
 * @param timeout          give up after this long, or null to wait until complete or stopped
 * @param progressInterval how often {@link ProgressListener#onProgress} is called
 */
public record WatchRequest(String batchId, Set<String> expectedJobIds, boolean stopAtEnd, Duration timeout,
        Duration progressInterval) {

    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMillis(500);

    public WatchRequest {
        expectedJobIds = expectedJobIds == null ? null : Set.copyOf(expectedJobIds);
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
        return new WatchRequest(batchId, expectedJobIds, false, null, null);
    }

    /** What the topic holds now (optionally of one batch), then stop. */
    public static WatchRequest toCurrentEnd(String batchId) {
        return new WatchRequest(batchId, null, true, null, null);
    }

    /** Every new result until stopped. */
    public static WatchRequest follow(String batchId) {
        return new WatchRequest(batchId, null, false, null, null);
    }

    public WatchRequest withTimeout(Duration value) {
        return new WatchRequest(batchId, expectedJobIds, stopAtEnd, value, progressInterval);
    }

    public WatchRequest withProgressInterval(Duration value) {
        return new WatchRequest(batchId, expectedJobIds, stopAtEnd, timeout, value);
    }

    public int expectedCount() {
        return expectedJobIds == null ? -1 : expectedJobIds.size();
    }
}
