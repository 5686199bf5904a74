package dev.troupe.cli.config;

import dev.troupe.client.KafkaConnection;
import dev.troupe.givon.GivonConfig;
import dev.troupe.model.ValidationLimits;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the CLI reads from {@code config/troupe.yaml} and {@code TROUPE_*} variables, typed and
 * validated (see {@link ConfigLoader}). Command-line flags override it through the {@code with} methods.
 */
public record TroupeConfig(KafkaConnection kafka, TopicsConfig topics, WorkerConfig.Journal journal, WorkerConfig.Tracker tracker,
        WorkerConfig.Results results,
        WorkerSettings worker,
        BudgetPolicy budget, WorkerConfig.BudgetScope budgetScope, GivonSettings givon, ValidationLimits validation,
        DashboardSettings dashboard) {

    public TroupeConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(budgetScope, "budgetScope");
        Objects.requireNonNull(givon, "givon");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(dashboard, "dashboard");
    }

    /** The built-in defaults: what an empty file means. */
    public static TroupeConfig defaults() {
        return ConfigReader.read(ConfigSource.of("", "defaults", java.util.Map.of())).config();
    }

    /**
     * The worker's configuration against this Kafka with this Givon.
     *
     * @throws ConfigException naming the key a rule is about
     */
    public WorkerConfig workerConfig(GivonConfig givonConfig) {
        try {
            WorkerConfig.Builder builder = WorkerConfig.builder(kafka.bootstrapServers(), givonConfig)
                    .groupId(worker.groupId())
                    .topics(topics.forWorker())
                    .journal(journal)
                    .tracker(tracker)
                    .results(results)
                    .concurrency(worker.concurrency())
                    .retry(worker.retry())
                    .dedupeWindow(worker.dedupeWindow())
                    .revocationGrace(worker.revocationGrace())
                    .shutdownGrace(worker.shutdownGrace())
                    .outOfTokensPause(worker.outOfTokensPause())
                    .circuit(worker.circuit())
                    .maxParkedBytes(worker.maxParkedBytes())
                    .eventLoops(worker.eventLoops())
                    .budget(budget)
                    .budgetScope(budgetScope)
                    .account(givon.account())
                    .validation(validation)
                    .ops(worker.opsHost(), worker.opsPort());
            if (worker.maxUnfinishedRecords() != null) {
                builder.maxUnfinishedRecords(worker.maxUnfinishedRecords());
            }
            kafka.properties().forEach(builder::kafkaProperty);
            return builder.build();
        } catch (IllegalArgumentException e) {
            String message = ConfigNames.worker(e.getMessage());
            throw new ConfigException(ConfigNames.keyIn(message, "worker"), null, message);
        }
    }

    public TroupeConfig withKafka(KafkaConnection value) {
        return new TroupeConfig(value, topics, journal, tracker, results, worker, budget, budgetScope, givon, validation, dashboard);
    }

    public TroupeConfig withBootstrapServers(String servers) {
        return withKafka(new KafkaConnection(servers, kafka.properties(), kafka.timeout()));
    }

    public TroupeConfig withKafkaTimeout(Duration timeout) {
        return withKafka(kafka.withTimeout(timeout));
    }

    public TroupeConfig withWorker(WorkerSettings value) {
        return new TroupeConfig(kafka, topics, journal, tracker, results, value, budget, budgetScope, givon, validation, dashboard);
    }

    /** Without the embedded batch tracker ({@code troupe worker --no-tracker}). */
    public TroupeConfig withoutTracker() {
        return new TroupeConfig(kafka, topics, journal, new WorkerConfig.Tracker(false, tracker.stateDir(), tracker.retention()), results,
                worker, budget, budgetScope, givon, validation, dashboard);
    }

    public TroupeConfig withDashboard(DashboardSettings value) {
        return new TroupeConfig(kafka, topics, journal, tracker, results, worker, budget, budgetScope, givon, validation, value);
    }

    public TroupeConfig withBudget(BudgetPolicy value) {
        return new TroupeConfig(kafka, topics, journal, tracker, results, worker, value, budgetScope, givon, validation, dashboard);
    }
}
