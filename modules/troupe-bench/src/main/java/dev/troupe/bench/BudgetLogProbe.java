package dev.troupe.bench;

import dev.troupe.givon.GivonConfig;
import dev.troupe.model.Tokens;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.budget.FleetBudgetLog;
import dev.troupe.worker.budget.FleetLedger;
import dev.troupe.worker.journal.JournalClients;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Measures {@link FleetBudgetLog} on the run's broker, with the clients a worker gives it
 * ({@code Worker.budgets}: an acknowledged producer, an assigned reader fetching with a 10 ms wait):
 * the round trip of a reservation as a job waits for it (its RESERVE record written, read back by the
 * reader thread and decided, the decision handed to the caller's event loop), one at a time and with
 * many outstanding; and a settlement, until Kafka has it and until the reader has applied it (which is
 * when parked jobs of the budget try again). One budget, so one partition, as for one limited tenant.
 */
final class BudgetLogProbe {

    /** What one run asks. */
    record Load(int warmup, int sequential, int concurrent, int inFlight, int settles) {}

    static final String BUDGET = "bench-probe";
    private static final Tokens COST = Tokens.of(JobRecords.TOKENS_PER_JOB);

    private final BenchKafka kafka;
    private final Vertx vertx;
    private final Progress progress;

    BudgetLogProbe(BenchKafka kafka, Vertx vertx, Progress progress) {
        this.kafka = kafka;
        this.vertx = vertx;
        this.progress = progress;
    }

    BudgetLogSample measure(Load load) throws Exception {
        BenchKafka.Stage stage = kafka.stage("budgetlog", 1);
        WorkerConfig config = WorkerConfig.builder(kafka.bootstrapServers(), GivonConfig.builder().apiKey("bench-only").build())
                .topics(stage.topics()).build();
        // Ten times what the probe reserves, in a day: never refused.
        long requests = 2L * load.warmup() + load.sequential() + load.concurrent();
        BudgetRule rule = new BudgetRule(COST.times(10 * requests), Duration.ofDays(1), ExhaustionPolicy.WAIT);
        AtomicReference<CompletableFuture<Void>> readBack = new AtomicReference<>(new CompletableFuture<>());
        Properties producer = JournalClients.acknowledgedProducer(config, "bench-budget");
        Properties consumer = JournalClients.assignedConsumer(config, "bench-budget-reader", 10, new Properties());
        try (FleetBudgetLog log = new FleetBudgetLog(new KafkaProducer<>(producer), new KafkaConsumer<>(consumer),
                stage.topics().budget(), Map.of(BUDGET, rule), "bench", Clock.systemUTC(), key -> readBack.get().complete(null))) {
            log.start().get(60, TimeUnit.SECONDS);
            Context context = vertx.getOrCreateContext();
            progress.say("budget log: %,d sequential and %,d concurrent reservations to warm up, then %,d sequential, %,d with %d "
                    + "outstanding, %,d settlements", load.warmup(), load.warmup(), load.sequential(), load.concurrent(),
                    load.inFlight(), load.settles());
            Reserved warm = reserve(log, context, "warm", load.warmup(), 1);
            reserve(log, context, "warm-c", load.warmup(), load.inFlight());
            Reserved sequential = reserve(log, context, "seq", load.sequential(), 1);
            long started = System.nanoTime();
            Reserved concurrent = reserve(log, context, "conc", load.concurrent(), load.inFlight());
            double perSecond = load.concurrent() / ((System.nanoTime() - started) / 1e9);

            // Settlements of the warm-up's reservations, one at a time.
            int settles = Math.min(load.settles(), warm.windows().length);
            long[] ack = new long[settles];
            long[] applied = new long[settles];
            for (int i = 0; i < settles; i++) {
                CompletableFuture<Void> closed = new CompletableFuture<>();
                readBack.set(closed);
                long start = System.nanoTime();
                CompletableFuture<Long> acknowledged = log.settle(BUDGET, "warm-" + i, warm.windows()[i], COST)
                        .thenApply(v -> System.nanoTime());
                CompletableFuture<Long> read = closed.thenApply(v -> System.nanoTime());
                ack[i] = acknowledged.get(30, TimeUnit.SECONDS) - start;
                applied[i] = read.get(30, TimeUnit.SECONDS) - start;
            }
            BudgetLogSample sample = new BudgetLogSample(BudgetLogSample.Timing.of(sequential.nanos()),
                    BudgetLogSample.Timing.of(concurrent.nanos()), load.inFlight(), perSecond, BudgetLogSample.Timing.of(ack),
                    BudgetLogSample.Timing.of(applied));
            progress.say("budget log: reserve p50 %.0f µs, p99 %.0f µs one at a time; p50 %.0f µs, p99 %.0f µs with %d outstanding "
                            + "(%,.0f decisions/s); settle acknowledged p50 %.0f µs, applied p50 %.0f µs",
                    sample.sequential().p50Micros(), sample.sequential().p99Micros(), sample.concurrent().p50Micros(),
                    sample.concurrent().p99Micros(), load.inFlight(), perSecond, sample.settleAck().p50Micros(),
                    sample.settleReadBack().p50Micros());
            return sample;
        } finally {
            kafka.drop(stage);
        }
    }

    /** Each request's round trip, and the window each was granted in (by request number). */
    private record Reserved(long[] nanos, long[] windows) {}

    /**
     * {@code count} reservations of jobs {@code prefix-0..}, issued from a Vert.x context with at most
     * {@code inFlight} undecided; each timed from {@code reserve()} to its decision back on that context,
     * as {@code BudgetGate} hands it to the runner.
     */
    private Reserved reserve(FleetBudgetLog log, Context context, String prefix, int count, int inFlight) throws Exception {
        long[] nanos = new long[count];
        long[] windows = new long[count];
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] next = {0};
        int[] decided = {0};
        Runnable[] issue = new Runnable[1];
        // Only ever run on the context: the counters are confined to it.
        issue[0] = () -> {
            int i = next[0]++;
            long start = System.nanoTime();
            log.reserve(BUDGET, prefix + "-" + i, COST).whenComplete((decision, error) -> context.runOnContext(v -> {
                nanos[i] = System.nanoTime() - start;
                if (error != null) {
                    done.completeExceptionally(error);
                    return;
                }
                if (!(decision instanceof FleetLedger.Granted granted) || granted.reused()) {
                    done.completeExceptionally(new IllegalStateException("reservation " + prefix + "-" + i + " was answered "
                            + decision + ", not a fresh grant"));
                    return;
                }
                windows[i] = granted.window();
                if (++decided[0] == count) {
                    done.complete(null);
                } else if (next[0] < count) {
                    issue[0].run();
                }
            }));
        };
        context.runOnContext(v -> {
            for (int k = 0; k < Math.min(inFlight, count); k++) {
                issue[0].run();
            }
        });
        done.get(Math.max(60, count / 50), TimeUnit.SECONDS);
        return new Reserved(nanos, windows);
    }
}
