package dev.troupe.worker.batch;

import dev.troupe.model.BatchCompletion;
import dev.troupe.model.JobStatus;

/**
 * One job of a batch in the tracker's store (key {@code batchId/jobId}): its latest run's status and
 * tokens, and for a job that did not succeed its error code and message, bounded as the completion
 * lists them. A few dozen bytes for a job that succeeded.
 */
record JobEntry(int run, JobStatus status, long costMilli, String code, String message) {

    JobEntry {
        if (status == JobStatus.SUCCEEDED) {
            code = null;
            message = null;
        } else {
            // Bounded here, so a store entry is as small as the completion's line for it.
            BatchCompletion.Unsuccessful bounded = new BatchCompletion.Unsuccessful("j", run, status, code, message);
            code = bounded.code();
            message = bounded.message();
        }
    }
}
