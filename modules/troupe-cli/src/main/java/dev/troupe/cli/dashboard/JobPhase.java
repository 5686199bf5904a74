package dev.troupe.cli.dashboard;

import dev.troupe.model.JobStatus;
import dev.troupe.model.ProgressEvent;

/**
 * Where a job of a batch is, as the dashboard counts it: one of the five outcomes once its latest run has a
 * result, else where its latest progress event put it (queued covers admitted and waiting for a retry).
 */
public enum JobPhase {
    SUCCEEDED, FAILED, REJECTED, EXPIRED, CANCELLED, QUEUED, PARKED, HELD, AT_GIVON;

    static final JobPhase[] ALL = values();
    static final int OUTCOMES = JobStatus.values().length;

    static JobPhase of(JobStatus status) {
        return ALL[status.ordinal()]; // the five outcomes come first, in JobStatus order
    }

    static JobPhase of(ProgressEvent.Kind kind) {
        return switch (kind) {
            case ADMITTED, RETRYING -> QUEUED;
            case PARKED -> PARKED;
            case HELD -> HELD;
            case SUBMITTED -> AT_GIVON;
            case FINISHED -> null; // the result says which outcome
        };
    }

    public boolean finished() {
        return ordinal() < OUTCOMES;
    }
}
