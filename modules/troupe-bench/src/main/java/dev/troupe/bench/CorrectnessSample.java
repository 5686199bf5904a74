package dev.troupe.bench;

import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.util.Map;

/**
 * Every job of a fixed batch accounted for, from the results topic (read_committed) and the
 * simulator's ledger.
 *
 * @param lost                jobs produced without any result
 * @param duplicated          results beyond the first for a jobId
 * @param maxGenerationsPerJob the most generations the simulator created for one Idempotency-Key (1 = nothing paid twice)
 * @param charged             tokens the simulator charged, net of refunds
 * @param budget              the token budget the worker was given; null for the baseline, which has none
 * @param committedAtLogEnd   the group committed every partition up to its end
 */
record CorrectnessSample(
        Subject.Kind subject,
        long jobs,
        long results,
        long lost,
        long duplicated,
        Map<JobStatus, Long> byStatus,
        long generationsCreated,
        int maxGenerationsPerJob,
        Tokens charged,
        Tokens budget,
        Tokens resultCost,
        boolean committedAtLogEnd,
        double seconds,
        String failure) {

    boolean withinBudget() {
        return budget == null || !charged.exceeds(budget);
    }

    boolean ok() {
        return failure == null && lost == 0 && duplicated == 0 && maxGenerationsPerJob <= 1 && withinBudget();
    }
}
