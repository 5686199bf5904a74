package dev.troupe.testkit.guarantee;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.SimulatorLedger;
import dev.troupe.model.Tokens;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Guarantee 3, the budget: the tokens Givon charged for one budget's jobs are at most its limit, whatever
 * the number of workers, and at least the limit less one job's cost, so no budget is left unusable on a
 * worker (DESIGN.md "Fleet quotas"). Read from the simulator's ledger: the generations each jobId made
 * ({@code Idempotency-Key}) times the job's cost, so every job of the budget must cost the same.
 *
 * <p>The floor holds when every granted job reached Givon. A job accounted at its full cost because its
 * submission was left uncertain (a kill), but which Givon never created, lowers it by one job's cost:
 * declare those with {@link #accountedUnpaid}. Thread-safe.
 */
public final class SpentWithinBudget implements Guarantee {

    private final SimulatorLedger ledger;
    private final String budget;
    private final Tokens limit;
    private final Tokens jobCost;
    private final Set<String> expected = new LinkedHashSet<>();
    private long accountedUnpaid;
    private String accountedUnpaidWhy;

    private SpentWithinBudget(SimulatorLedger ledger, String budget, Tokens limit, Tokens jobCost) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.limit = Objects.requireNonNull(limit, "limit");
        this.jobCost = Objects.requireNonNull(jobCost, "jobCost");
        if (!jobCost.exceeds(Tokens.ZERO) || jobCost.exceeds(limit)) {
            throw new IllegalArgumentException("jobCost must be above 0 and at most the limit " + limit + ", was " + jobCost);
        }
    }

    /** A checker of {@code budget} (its name, for the report), limited to {@code limit}, its jobs costing {@code jobCost} each. */
    public static SpentWithinBudget on(SimulatorLedger ledger, String budget, Tokens limit, Tokens jobCost) {
        return new SpentWithinBudget(ledger, budget, limit, jobCost);
    }

    /** Jobs charged to this budget (and to no other). */
    public synchronized SpentWithinBudget expect(Collection<String> jobIds) {
        jobIds.forEach(jobId -> expected.add(Objects.requireNonNull(jobId, "jobId")));
        return this;
    }

    /** {@code jobs} accounted at their full cost that Givon never created ({@code why}): the floor drops by as many jobs' costs. */
    public synchronized SpentWithinBudget accountedUnpaid(long jobs, String why) {
        if (jobs < 0) {
            throw new IllegalArgumentException("jobs must not be negative, was " + jobs);
        }
        this.accountedUnpaid = jobs;
        this.accountedUnpaidWhy = Objects.requireNonNull(why, "why");
        return this;
    }

    /** Tokens Givon charged for the expected jobs, now. */
    public synchronized Tokens charged() {
        return charged(ledger.snapshot());
    }

    private Tokens charged(LedgerSnapshot snapshot) {
        return jobCost.times(expected.stream().mapToLong(snapshot::generationsFor).sum());
    }

    public Tokens limit() {
        return limit;
    }

    /** The least the budget's jobs should have been charged. */
    public synchronized Tokens floor() {
        return Tokens.max(Tokens.ZERO, limit.minus(jobCost).minus(jobCost.times(accountedUnpaid)));
    }

    @Override
    public synchronized Verdict verdict() {
        LedgerSnapshot now = ledger.snapshot();
        Tokens charged = charged(now);
        Tokens floor = floor();
        long paidJobs = expected.stream().filter(jobId -> now.generationsFor(jobId) > 0).count();
        String books = "budget " + budget + ": " + charged + " tokens charged for " + paidJobs + " of " + expected.size()
                + " jobs, limit " + limit + ", floor " + floor + " (the limit less one job's cost " + jobCost
                + (accountedUnpaid == 0 ? "" : ", less " + accountedUnpaid + " more: " + accountedUnpaidWhy) + ")";
        List<String> breaches = new ArrayList<>();
        if (charged.exceeds(limit)) {
            breaches.add("budget " + budget + ": Givon charged " + charged + " tokens, " + charged.minus(limit)
                    + " over the limit " + limit);
        }
        if (floor.exceeds(charged)) {
            breaches.add("budget " + budget + ": Givon charged " + charged + " tokens, " + floor.minus(charged)
                    + " under the floor " + floor + ": budget was left unused (a reservation stranded, or counted twice)");
        }
        return new Verdict("SpentWithinBudget", books, breaches);
    }
}
