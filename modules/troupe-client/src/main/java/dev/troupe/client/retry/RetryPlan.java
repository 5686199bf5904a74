package dev.troupe.client.retry;

import dev.troupe.model.JobResult;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import java.util.List;

/**
 * What {@code troupe retry} sends: each chosen job as its next run, with the result that made it a
 * candidate, and the jobs it leaves alone with the reason.
 *
 * @param retries  the jobs to send again, in the order their results were read
 * @param left     chosen jobs not sent, each with why
 * @param setAside results of the batch that are not the latest run of their job (earlier runs, repeats)
 */
public record RetryPlan(List<Retry> retries, List<Left> left, int setAside) {

    public RetryPlan {
        retries = List.copyOf(retries);
        left = List.copyOf(left);
    }

    /** What the retries cost at the catalog's estimate. */
    public Tokens cost() {
        Tokens total = Tokens.ZERO;
        for (Retry retry : retries) {
            total = total.plus(retry.cost());
        }
        return total;
    }

    /** One job sent again: {@code next} is its next run. */
    public record Retry(MotionJob next, JobResult latest, Tokens cost) {
    }

    /** A job named or chosen but not sent. */
    public record Left(String jobId, String reason) {
    }
}
