package dev.troupe.bench;

import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetPolicy;
import java.util.OptionalInt;

/**
 * What a system under test is pointed at and allowed to do in one measurement.
 *
 * @param stage           the measurement's topics and consumer group
 * @param givonUrl        base URL of the Givon simulator
 * @param concurrency     C: Givon generations in flight per worker (baseline: threads)
 * @param workers         Troupe workers in this JVM (the baseline always runs one consumer)
 * @param maxUnfinished   Troupe's {@code maxUnfinishedRecords}; empty for the worker's default
 * @param budget          Troupe's token budget
 * @param journal         whether Troupe journals its jobs on the stage's state topic (the worker's default: on)
 * @param delivery        how Troupe publishes outcomes and commits offsets (the worker's default: exactly-once)
 * @param eventLoops      the event loops each Troupe worker runs its jobs on (worker.event-loops)
 */
record Deployment(
        BenchKafka.Stage stage,
        String bootstrapServers,
        String givonUrl,
        int concurrency,
        Latency latency,
        int workers,
        OptionalInt maxUnfinished,
        BudgetPolicy budget,
        boolean journal,
        WorkerConfig.Delivery delivery,
        int eventLoops) {

    static Deployment of(BenchKafka kafka, BenchKafka.Stage stage, String givonUrl, int concurrency, Latency latency) {
        return new Deployment(stage, kafka.bootstrapServers(), givonUrl, concurrency, latency, 1, OptionalInt.empty(),
                BudgetPolicy.unlimited(), true, WorkerConfig.Results.DEFAULT.delivery(), 1);
    }

    Deployment withWorkers(int count) {
        return new Deployment(stage, bootstrapServers, givonUrl, concurrency, latency, count, maxUnfinished, budget, journal, delivery, eventLoops);
    }

    Deployment withMaxUnfinished(int records) {
        return new Deployment(stage, bootstrapServers, givonUrl, concurrency, latency, workers, OptionalInt.of(records), budget, journal, delivery, eventLoops);
    }

    Deployment withJournal(boolean on) {
        return new Deployment(stage, bootstrapServers, givonUrl, concurrency, latency, workers, maxUnfinished, budget, on, delivery, eventLoops);
    }

    Deployment withDelivery(WorkerConfig.Delivery how) {
        return new Deployment(stage, bootstrapServers, givonUrl, concurrency, latency, workers, maxUnfinished, budget, journal, how, eventLoops);
    }

    Deployment withEventLoops(int count) {
        return new Deployment(stage, bootstrapServers, givonUrl, concurrency, latency, workers, maxUnfinished, budget, journal, delivery, count);
    }

    Deployment withBudget(BudgetPolicy policy) {
        return new Deployment(stage, bootstrapServers, givonUrl, concurrency, latency, workers, maxUnfinished, policy, journal, delivery, eventLoops);
    }
}
