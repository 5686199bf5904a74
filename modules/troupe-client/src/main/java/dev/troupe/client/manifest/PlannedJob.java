package dev.troupe.client.manifest;

import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import java.util.Objects;

/**
 * One job of a batch plan: the validated job (defaults applied), its estimated cost, and the
 * manifest entries it came from.
 */
public record PlannedJob(MotionJob job, Tokens cost, String character, String motion, String prompt) {

    public PlannedJob {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(cost, "cost");
    }

    public String jobId() {
        return job.jobId();
    }
}
