package dev.troupe.worker;

import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import java.time.Duration;
import java.util.Map;

/**
 * A worker set up so that every series of the metrics contract has a reason to exist: budgets
 * decided by the fleet, the default one unlimited and {@value #LIMITED} limited, the journal on,
 * the ops endpoint on a free loopback port.
 */
final class ObservedWorker {

    static final String LIMITED = "studio-a";
    static final Tokens LIMIT = Tokens.of(100_000);
    static final Duration WINDOW = Duration.ofHours(1);

    private ObservedWorker() {
    }

    static BudgetPolicy budgets() {
        return new BudgetPolicy(Map.of(LIMITED, new BudgetRule(LIMIT, WINDOW, ExhaustionPolicy.WAIT)),
                new BudgetRule(BudgetPolicy.UNLIMITED, Duration.ofDays(1), ExhaustionPolicy.WAIT));
    }

    static WorkerConfig.Builder config(WorkerTestBed bed) {
        return bed.workerConfig().maxConcurrency(4).budget(budgets()).budgetScope(WorkerConfig.BudgetScope.FLEET)
                .ops("127.0.0.1", 0);
    }
}
