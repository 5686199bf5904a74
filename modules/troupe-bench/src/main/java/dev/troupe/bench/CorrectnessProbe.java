package dev.troupe.bench;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A fixed batch under load, with transient Givon errors and a budget that covers only part of it:
 * every job must get exactly one result, nothing may be paid twice, and the tokens the simulator
 * charged must stay within the budget. The baseline runs the same batch; it has no budget, so its
 * spend is shown against the same figure.
 */
final class CorrectnessProbe {

    /** The batch and the conditions it runs under. */
    record Load(int jobs, int concurrency, Latency latency, double serverErrorRate, double budgetShare) {

        Tokens budget() {
            return Tokens.of(JobRecords.TOKENS_PER_JOB).times(Math.round(jobs * budgetShare));
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d jobs, C = %d, L = %s, %.0f%% of Givon calls answered 5xx, budget for %.0f%% of the jobs",
                    jobs, concurrency, latency, serverErrorRate * 100, budgetShare * 100);
        }
    }

    private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(3);

    private final BenchKafka kafka;
    private final Vertx simulatorVertx;
    private final Progress progress;

    CorrectnessProbe(BenchKafka kafka, Vertx simulatorVertx, Progress progress) {
        this.kafka = kafka;
        this.simulatorVertx = simulatorVertx;
        this.progress = progress;
    }

    CorrectnessSample measure(Subject.Kind kind, Load load) {
        Tokens budget = kind == Subject.Kind.TROUPE ? load.budget() : null;
        try {
            CorrectnessSample sample = run(kind, load, budget);
            progress.say("correctness %s: %,d jobs, %,d results, lost %d, duplicated %d, max generations per job %d, "
                            + "charged %s of budget %s, committed to log end %s, %s", kind.label(), sample.jobs(), sample.results(),
                    sample.lost(), sample.duplicated(), sample.maxGenerationsPerJob(), sample.charged(), load.budget(),
                    sample.committedAtLogEnd(), sample.byStatus());
            return sample;
        } catch (Exception e) {
            progress.say("correctness %s FAILED: %s", kind.label(), e);
            return new CorrectnessSample(kind, load.jobs(), 0, load.jobs(), 0, Map.of(), 0, 0, Tokens.ZERO, budget,
                    Tokens.ZERO, false, 0, e.toString());
        }
    }

    private CorrectnessSample run(Subject.Kind kind, Load load, Tokens budget) throws Exception {
        long started = System.nanoTime();
        BenchKafka.Stage stage = kafka.stage("correctness-" + kind.name().toLowerCase(Locale.ROOT), 12);
        GivonSimulator simulator = GivonSimulator.start(simulatorVertx,
                load.latency().simulator().serverErrorRate(load.serverErrorRate()).build()).await(10, TimeUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("feed-" + stage.name());
             ResultLog results = new ResultLog(kafka.bootstrapServers(), stage.topics().results(), true)) {
            BudgetPolicy policy = budget == null ? BudgetPolicy.unlimited()
                    : BudgetPolicy.shared(new BudgetRule(budget, Duration.ofDays(1), ExhaustionPolicy.REJECT));
            Subject subject = kind.start(Deployment.of(kafka, stage, simulator.baseUrl(), load.concurrency(), load.latency())
                    .withBudget(policy));
            boolean committed;
            try {
                Waits.until("the consumer is assigned", Duration.ofSeconds(30), subject::ready);
                try (JobFeed feed = JobFeed.exactly(producer, stage.topics().jobs(), stage.name(), load.jobs())) {
                    feed.awaitDone(COMPLETION_TIMEOUT.toMillis());
                }
                Waits.until("a result for every job", COMPLETION_TIMEOUT, () -> results.distinctJobs() >= load.jobs());
                Waits.until("offsets committed to the log end", Duration.ofSeconds(30),
                        () -> committedAtLogEnd(stage));
                committed = true;
            } catch (java.util.concurrent.TimeoutException e) {
                progress.say("correctness %s: %s", kind.label(), e.getMessage());
                committed = committedAtLogEnd(stage);
            } finally {
                subject.close();
            }
            // A late duplicate would have to be written by now: the subject is closed.
            Waits.settled(results::count, Duration.ofMillis(500), Duration.ofSeconds(5));
            return account(kind, load, budget, stage.name(), results, simulator.ledger().snapshot(), committed,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            simulator.close().await(10, TimeUnit.SECONDS);
            kafka.drop(stage);
        }
    }

    private boolean committedAtLogEnd(BenchKafka.Stage stage) {
        try {
            return kafka.committedAtLogEnd(stage.groupId(), stage.topics().jobs(), stage.jobPartitions());
        } catch (Exception e) {
            return false;
        }
    }

    private static CorrectnessSample account(Subject.Kind kind, Load load, Tokens budget, String idPrefix, ResultLog results,
            LedgerSnapshot ledger, boolean committed, double seconds) {
        long lost = 0;
        for (int i = 0; i < load.jobs(); i++) {
            if (!results.hasResult(JobFeed.jobId(idPrefix, i))) {
                lost++;
            }
        }
        Map<JobStatus, Long> byStatus = new EnumMap<>(JobStatus.class);
        Tokens cost = Tokens.ZERO;
        for (JobResult r : results.results()) {
            byStatus.merge(r.status(), 1L, Long::sum);
            cost = cost.plus(r.costTokens());
        }
        return new CorrectnessSample(kind, load.jobs(), results.count(), lost, results.duplicates(), byStatus,
                ledger.generationsCreated(), ledger.maxGenerationsForOneKey(), ledger.tokensCharged(), budget, cost,
                committed, seconds, null);
    }
}
