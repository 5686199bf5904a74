package dev.troupe.client.results;

import dev.troupe.model.JobResult;

/** Told about a watch as it goes; called on the watching thread, so keep it quick. */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
    };

    /** A new result of the watched jobs arrived. */
    default void onResult(JobResult result, BatchProgress progress) {
    }

    /** Called at the request's progress interval, whether or not results arrived. */
    default void onProgress(BatchProgress progress) {
    }
}
