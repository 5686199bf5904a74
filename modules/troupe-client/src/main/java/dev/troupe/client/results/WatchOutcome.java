package dev.troupe.client.results;

import dev.troupe.model.JobResult;
import java.util.List;

/**
 * How a watch ended and what it saw: one result per jobId, in the order they arrived.
 */
public record WatchOutcome(Ending ending, List<JobResult> results, BatchProgress progress) {

    public WatchOutcome {
        results = List.copyOf(results);
    }

    /** Why the watch returned. */
    public enum Ending {
        /** Every expected job has a result. */
        COMPLETE,
        /** The end the topic had when the watch started was reached. */
        END_OF_TOPIC,
        /** The request's timeout passed first. */
        TIMED_OUT,
        /** {@link ResultsWatcher#stop()} was called. */
        STOPPED
    }
}
