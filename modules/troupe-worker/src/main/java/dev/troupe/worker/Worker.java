package dev.troupe.worker;

import dev.troupe.givon.GivonClient;
import dev.troupe.givon.GivonConfig;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JournalCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.worker.batch.BatchTracker;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.BudgetTopicCheck;
import dev.troupe.worker.budget.Budgets;
import dev.troupe.worker.budget.FleetBudget;
import dev.troupe.worker.budget.FleetBudgetLog;
import dev.troupe.worker.budget.TokenBudget;
import dev.troupe.worker.consumer.Committer;
import dev.troupe.worker.consumer.ConsumerCommands;
import dev.troupe.worker.consumer.FleetShareAssignor;
import dev.troupe.worker.consumer.JobConsumerLoop;
import dev.troupe.worker.consumer.OffsetCommits;
import dev.troupe.worker.journal.JobJournal;
import dev.troupe.worker.journal.JournalClients;
import dev.troupe.worker.journal.JournalTopicCheck;
import dev.troupe.worker.journal.KafkaJobJournal;
import dev.troupe.worker.limit.AccountHolds;
import dev.troupe.worker.control.ControlFeed;
import dev.troupe.worker.progress.ProgressPublisher;
import dev.troupe.worker.runner.ProgressEvents;
import dev.troupe.worker.control.ControlState;
import dev.troupe.worker.limit.AccountShare;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import dev.troupe.worker.ops.ClientMeters;
import dev.troupe.worker.ops.OpsServer;
import dev.troupe.worker.ops.WorkerMetrics;
import dev.troupe.worker.results.RecordLimits;
import dev.troupe.worker.results.ResultPublisher;
import dev.troupe.worker.results.ResultRecords;
import dev.troupe.worker.results.ResultSink;
import dev.troupe.worker.results.ResultTransactions;
import dev.troupe.worker.results.TransactionalResults;
import dev.troupe.worker.runner.JobRunner;
import dev.troupe.worker.runner.RunnerLanes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Troupe worker: a consumer thread on {@code troupe.jobs}, a {@link JobRunner} on a Vert.x event
 * loop, a result publisher, and the ops endpoint. {@link #close()} drains gracefully: stop polling,
 * let jobs Givon holds finish within the grace period, commit, leave the group.
 */
public final class Worker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final WorkerConfig config;
    private final GivonClient givon;
    private final ResultSink publisher;
    private final JobConsumerLoop consumerLoop;
    private final Thread consumerThread;
    private final RunnerLanes runner;
    private final ConcurrencyLimiter limiter;
    /** This worker's part of the Givon account's limits; null when the account has none. */
    private final AccountShare share;
    private final Budgets budget;
    /** The Givon account's holds, shared with the fleet on topics.budget; null with budget.scope: worker. */
    private final AccountHolds holds;
    /** The operators' commands on topics.control; null when that topic does not exist (no cancel, no pause). */
    private final ControlFeed controls;
    private final JobJournal journal;
    /** The jobs' progress events on topics.progress; null when that topic does not exist. */
    private final ProgressPublisher progress;
    /** The embedded batch tracker; null when tracker.enabled is false or topics.batches does not exist. */
    private final BatchTracker tracker;
    private final PrometheusMeterRegistry registry;
    /** The JVM's, the process's and the Kafka clients' own meters, unbound at close. */
    private final ClientMeters clientMeters;
    private volatile OpsServer ops;
    private volatile boolean closed;

    private Worker(Vertx vertx, WorkerConfig config, Clock clock, Map<String, Integer> recordLimits,
                   Supplier<Map<String, Integer>> readRecordLimits, boolean controlTopic, boolean progressTopic, boolean batchesTopic) {
        this.config = config;
        String instance = config.groupId() + "-" + UUID.randomUUID().toString().substring(0, 8);
        ModelCatalog catalog = ModelCatalog.builtIn();
        JobCodec codec = new JobCodec(catalog, config.validation());
        List<Context> contexts = eventLoops(vertx, config.eventLoops());
        Context context = contexts.get(0);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.clientMeters = new ClientMeters(registry, instance);
        this.limiter = new ConcurrencyLimiter(config.concurrency());
        // The budget log's reader starts only in start(), after the runner exists.
        java.util.concurrent.atomic.AtomicReference<RunnerLanes> built = new java.util.concurrent.atomic.AtomicReference<>();
        this.budget = budgets(config, instance, clock, key -> built.get().capacityFreed(key));
        this.holds = config.budgetScope() == WorkerConfig.BudgetScope.FLEET
                ? accountHolds(config, instance, clock, (until, reason) -> built.get().accountHeld(until, reason)) : null;
        ControlState controlState = controlTopic ? new ControlState() : null;
        this.controls = controlTopic ? new ControlFeed(new KafkaConsumer<>(JournalClients.assignedConsumer(config,
                instance + "-controls", 10, new Properties())), config.topics().control(), controlState,
                command -> built.get().controlsChanged()) : null;
        WorkerMetrics metrics = new WorkerMetrics(registry, limiter, budget, config.budget(),
                config.budgetScope() == WorkerConfig.BudgetScope.FLEET);
        this.givon = GivonClient.create(vertx, config.givon(), metrics);
        WorkerConfig.Account account = config.account();
        this.share = account.limited() ? new AccountShare(account.maxInFlight(), account.submissionsPerSecond(),
                account.statusReadsPerSecond(), limiter, givon.submissionRate(), givon.statusReadRate()) : null;
        if (budget instanceof FleetBudget fleet) {
            fleet.observeReservations(metrics::budgetReserved);
        }
        ConsumerCommands commands = new ConsumerCommands();
        boolean journaled = config.journal().enabled();
        this.journal = journaled ? KafkaJobJournal.create(config, new JournalCodec(codec), instance, clock) : JobJournal.disabled();
        ResultRecords records = new ResultRecords(codec, journaled ? new JournalCodec(codec) : null, config.topics().results(),
                config.topics().deadLetter(), journaled ? config.topics().state() : null);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(instance));
        clientMeters.bindConsumer(consumer);
        Properties producer = producerProperties(instance);
        Committer committer;
        if (config.results().exactlyOnce()) {
            this.publisher = new TransactionalResults(records, commands, context);
            committer = new ResultTransactions(() -> clientMeters.bindProducer(new KafkaProducer<>(producer)), consumer,
                    config.results().commitInterval(),
                    config.results().commitMaxOutcomes(), new RecordLimits(maxRequestBytes(producer), recordLimits, readRecordLimits),
                    new ResultTransactions.TransactionObserver() {
                        @Override
                        public void committed(int outcomes, long nanos) {
                            metrics.transactionCommitted(outcomes, nanos);
                        }

                        @Override
                        public void aborted(int outcomes) {
                            metrics.transactionAborted();
                        }
                    });
        } else {
            this.publisher = new ResultPublisher(clientMeters.bindProducer(new KafkaProducer<>(producer)), records, context,
                    maxRequestBytes(producer));
            committer = new OffsetCommits(consumer);
        }
        this.progress = progressTopic ? new ProgressPublisher(new KafkaProducer<>(progressProducerProperties(instance)),
                config.topics().progress(), metrics::progressEventFailed, clock, instance) : null;
        List<JobRunner> lanes = new java.util.ArrayList<>();
        for (Context lane : contexts) {
            lanes.add(new JobRunner(vertx, lane,
                    new JobRunner.Collaborators(codec, catalog, givon, budget, limiter, publisher, commands, journal, metrics, holds,
                            controlState, progress == null ? ProgressEvents.NONE : progress),
                    new JobRunner.Settings(config.retry(), config.givon().defaultFollowDeadline(), config.dedupeWindow(),
                            config.outOfTokensPause(), config.circuit(),
                            config.givon().idempotency() == GivonConfig.Idempotency.TRUSTED, config.journal().enabled(),
                            JobResult.workerName(instance)), clock));
        }
        this.runner = new RunnerLanes(lanes, limiter);
        built.set(runner);
        if (share != null) {
            share.onGrowth(runner::slotsGrew);
        }
        this.consumerLoop = new JobConsumerLoop(consumer,
                new JobConsumerLoop.Settings(config.topics().jobs(), config.maxUnfinishedRecords(), config.maxParkedBytes(),
                        config.revocationGrace(), config.shutdownGrace()),
                runner, commands, journal, committer, share);
        this.consumerThread = new Thread(consumerLoop, "troupe-consumer-" + instance);
        metrics.watch(new WorkerMetrics.WorkerState() {
            @Override
            public boolean ready() {
                return Worker.this.ready();
            }

            @Override
            public boolean circuitOpen() {
                return runner.givonCircuitOpen();
            }

            @Override
            public boolean keyRefused() {
                return runner.givonKeyRefused();
            }

            @Override
            public int parked(String budgetKey, boolean inMemory) {
                return runner.parked(budgetKey, inMemory);
            }
        });
        WorkerConfig.Tracker tracking = config.tracker();
        // Streams runs its own thread and clients; nothing of it runs on an event loop or the consumer thread.
        this.tracker = tracking.enabled() && batchesTopic ? new BatchTracker(config.bootstrapServers(),
                WorkerConfig.Tracker.applicationId(config.groupId()), instance, config.topics().batches(), config.topics().results(),
                tracking.retention(), tracking.stateDir(), config.kafkaProperties()) : null;
    }

    /**
     * The event-loop contexts the jobs run on. One: the caller's (as Vert.x gives a thread that is not
     * its own). More: each made on a thread of its own, one after the other, so that Vert.x hands each
     * the next of its event loops.
     */
    private static List<Context> eventLoops(Vertx vertx, int count) {
        if (count == 1) {
            return List.of(vertx.getOrCreateContext());
        }
        List<Context> contexts = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            java.util.concurrent.atomic.AtomicReference<Context> made = new java.util.concurrent.atomic.AtomicReference<>();
            Thread maker = new Thread(() -> made.set(vertx.getOrCreateContext()), "troupe-event-loop-" + i);
            maker.start();
            try {
                maker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while making the worker's event loops", e);
            }
            contexts.add(made.get());
        }
        return List.copyOf(contexts);
    }

    /**
     * Starts a worker and returns once its consumer has subscribed and the ops server (if any)
     * listens. Blocking: call it from a main thread or a worker thread, never from an event loop.
     */
    public static Worker start(Vertx vertx, WorkerConfig config) {
        return start(vertx, config, Clock.systemUTC());
    }

    public static Worker start(Vertx vertx, WorkerConfig config, Clock clock) {
        requireNotOnEventLoop("Worker.start");
        Properties admin = new Properties();
        admin.putAll(config.kafkaProperties());
        admin.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        WorkerConfig.Topics topics = config.topics();
        List<String> needed = new java.util.ArrayList<>(List.of(topics.jobs(), topics.results(), topics.deadLetter()));
        if (config.journal().enabled()) {
            needed.add(topics.state());
        }
        Map<String, BudgetRule> limited = fleetBudgets(config);
        if (config.budgetScope() == WorkerConfig.BudgetScope.FLEET) {
            needed.add(topics.budget()); // the fleet's budgets, and the account's holds
        }
        Map<String, Integer> recordLimits = TopicCheck.awaitServed(admin, needed, Duration.ofSeconds(30));
        boolean controlTopic;
        boolean progressTopic;
        boolean batchesTopic;
        try (Admin client = Admin.create(admin)) {
            controlTopic = TopicCheck.optional(client, topics.control(), "topics.control",
                    "troupe cancel, pause and resume do not reach this worker", Duration.ofSeconds(30));
            progressTopic = TopicCheck.optional(client, topics.progress(), "topics.progress",
                    "this worker sends no progress events and troupe watch shows no queued, parked or running counts",
                    Duration.ofSeconds(30));
            batchesTopic = config.tracker().enabled() && TopicCheck.optional(client, topics.batches(), "topics.batches",
                    "this worker runs no batch tracker, so no batch completion is published by it", Duration.ofSeconds(30));
            if (config.journal().enabled()) {
                JournalTopicCheck.verify(client, topics.jobs(), topics.state(), Duration.ofSeconds(30));
            }
            if (!limited.isEmpty()) {
                Duration longest = limited.values().stream().map(BudgetRule::window).max(Duration::compareTo).orElseThrow();
                BudgetTopicCheck.verify(client, topics.budget(), longest, Duration.ofSeconds(30));
            }
        }
        Worker worker = new Worker(vertx, config, clock, recordLimits, () -> TopicCheck.recordLimits(admin, needed, Duration.ofSeconds(10)),
                controlTopic, progressTopic, batchesTopic);
        worker.runner.checkGivonAtStart();
        try {
            // Jobs are taken only once the fleet's budgets can answer.
            worker.budget.start().get(60, TimeUnit.SECONDS);
            if (worker.holds != null) {
                worker.holds.start().get(60, TimeUnit.SECONDS);
            }
            if (worker.controls != null) {
                // A restarted worker must not run what an operator cancelled or paused meanwhile.
                worker.controls.start().get(60, TimeUnit.SECONDS);
            }
            worker.consumerThread.start();
            worker.consumerLoop.started().get(30, TimeUnit.SECONDS);
            if (worker.tracker != null) {
                worker.tracker.start();
            }
            if (config.opsPort() >= 0) {
                worker.ops = startOps(vertx, config, worker);
            }
        } catch (Exception e) {
            worker.close();
            throw e instanceof IllegalStateException started ? started
                    : new IllegalStateException("worker failed to start: " + e.getMessage(), e);
        }
        log.info("worker {} consuming {} with concurrency {}", worker.consumerThread.getName(), config.topics().jobs(),
                config.concurrency().maxConcurrency());
        return worker;
    }

    private static OpsServer startOps(Vertx vertx, WorkerConfig config, Worker worker) throws Exception {
        try {
            return OpsServer.start(vertx, config.opsHost(), config.opsPort(), worker.registry, worker.consumerLoop::live,
                    worker::ready).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.BindException) {
                throw new IllegalStateException("worker failed to start: the ops port " + config.opsHost() + ":" + config.opsPort()
                        + " (worker.ops.port) is already in use, by another worker on this host perhaps; give each worker"
                        + " its own port, or --ops-port 0 for any free port (-1 for none)", e.getCause());
            }
            throw e;
        }
    }

    /** The limited budgets the fleet decides through {@code topics.budget}; none with {@code budget.scope: worker}. */
    private static Map<String, BudgetRule> fleetBudgets(WorkerConfig config) {
        return config.budgetScope() == WorkerConfig.BudgetScope.FLEET ? FleetBudget.limited(config.budget()) : Map.of();
    }

    private static Budgets budgets(WorkerConfig config, String instance, Clock clock, java.util.function.Consumer<String> freed) {
        Map<String, BudgetRule> limited = fleetBudgets(config);
        if (limited.isEmpty()) {
            return new TokenBudget(config.budget(), clock);
        }
        // Same clients as the journal's: acknowledged writes; a reader outside the group. A request waits for the
        // reader to reach it, so a fetch answers as soon as anything arrives.
        Properties producer = JournalClients.acknowledgedProducer(config, instance + "-budget");
        Properties consumer = JournalClients.assignedConsumer(config, instance + "-budget-reader", 10, new Properties());
        FleetBudgetLog log = new FleetBudgetLog(new KafkaProducer<>(producer), new KafkaConsumer<>(consumer), config.topics().budget(),
                limited, instance, clock, freed);
        return new FleetBudget(config.budget(), log, clock);
    }

    private static AccountHolds accountHolds(WorkerConfig config, String instance, Clock clock, AccountHolds.Listener held) {
        Properties producer = JournalClients.acknowledgedProducer(config, instance + "-holds");
        Properties consumer = JournalClients.assignedConsumer(config, instance + "-holds-reader", 10, new Properties());
        return new AccountHolds(new KafkaProducer<>(producer), new KafkaConsumer<>(consumer), config.topics().budget(),
                config.outOfTokensPause(), clock, held);
    }

    private Properties consumerProperties(String instance) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, instance + "-consumer");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (share != null) {
            // The leader divides givon.max-in-flight with the assignment; Kafka's own assignor after it keeps a
            // group with members that lack ours (a rolling upgrade) working.
            p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    FleetShareAssignor.class.getName() + "," + CooperativeStickyAssignor.class.getName());
            p.put(FleetShareAssignor.SHARE_CONFIG, share);
        } else {
            p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        p.putAll(config.kafkaProperties());
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(config.maxPollInterval().toMillis()));
        return p;
    }

    private Properties producerProperties(String instance) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, instance + "-results");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putAll(config.kafkaProperties());
        // Not overridable: a result must never be lost or duplicated by the producer itself.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (config.results().exactlyOnce()) {
            // One id per worker run: KIP-447 fences by the group's generation, not by the id.
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, instance + "-results");
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(config.results().transactionTimeout().toMillis()));
        }
        return p;
    }

    /**
     * The progress events' producer: one acknowledgement (an event lost with a leader is only a stale
     * line in a watch), no idempotence, one request in flight so that a job's events stay in order, a
     * few ms of linger. Its sends run on the publisher's own thread, so max.block.ms may wait for metadata.
     */
    private Properties progressProducerProperties(String instance) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(config.kafkaProperties());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, instance + "-progress");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return p;
    }

    /** The producer's {@code max.request.size} as configured (Kafka's default when absent). */
    private static int maxRequestBytes(Properties producer) {
        Object value = producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return value == null ? 1_048_576 : Integer.parseInt(value.toString().trim());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Port of the ops endpoint, or -1 when it is off. */
    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    /** Consuming (partitions assigned, polls and heartbeats recent) and able to work: Givon takes the key, its circuit is closed. */
    public boolean ready() {
        return consumerLoop.ready() && runner.givonReady();
    }

    /** Until when this worker holds its submissions because the Givon account cannot pay, as it or the fleet heard; the epoch if never. */
    public java.time.Instant outOfTokensUntil() {
        return runner.outOfTokensUntil();
    }

    public ConcurrencyLimiter limiter() {
        return limiter;
    }

    /** This worker's share of the Givon account's request rates now, per second; 0 is no limit. */
    public GivonRates givonRates() {
        return new GivonRates(givon.submissionRate().rate(), givon.statusReadRate().rate());
    }

    public record GivonRates(double submissions, double statusReads) {}

    public Budgets budget() {
        return budget;
    }

    /**
     * Jobs held on spent budgets (policy wait) until their window rolls: in the journal with their
     * records committed (journal on), or in memory with their records uncommitted (journal off).
     */
    public int parkedJobs() {
        return runner.parkedJobs();
    }

    /** Of {@link #parkedJobs}, those still in memory, their records uncommitted (all of them with the journal off). */
    public int parkedInMemory() {
        return runner.parkedRecords();
    }

    /** Graceful stop (blocking; not on an event loop). Idempotent. */
    @Override
    public void close() {
        requireNotOnEventLoop("Worker.close");
        if (closed) {
            return;
        }
        closed = true;
        consumerLoop.requestStop();
        try {
            Duration wait = config.shutdownGrace().plusSeconds(20);
            if (consumerThread.isAlive() && !consumerLoop.awaitStopped(wait)) {
                log.warn("consumer did not stop within {}", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.close();
        budget.close();
        if (holds != null) {
            holds.close();
        }
        if (controls != null) {
            controls.close();
        }
        publisher.close();
        if (progress != null) {
            progress.close();
        }
        journal.close();
        if (tracker != null) {
            // After the consumer: the last results are committed, and the tracker's transaction commits with them.
            tracker.close();
        }
        givon.close();
        if (ops != null) {
            ops.close();
        }
        clientMeters.close();
        registry.close();
    }

    /** Stops this worker gracefully on SIGTERM / Ctrl-C. */
    public Worker closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "troupe-worker-shutdown"));
        return this;
    }

    private static void requireNotOnEventLoop(String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + " blocks; call it from a non-event-loop thread");
        }
    }
}
