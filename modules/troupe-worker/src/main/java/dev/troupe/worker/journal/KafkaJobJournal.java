package dev.troupe.worker.journal;

import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalEntry;
import dev.troupe.worker.WorkerConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal on {@code topics.state} (DESIGN.md "The job journal"). An entry of jobs partition p is
 * written to state partition p (the number, not a key hash), keyed by jobId, by one idempotent
 * producer with acks=all; a restore reads one state partition with a consumer of its own.
 *
 * <p>Threads: {@link Producer#send} may block (metadata, a full buffer), so writes are encoded and sent
 * on one journal thread ({@code troupe-journal-writer}, in call order); their futures complete on the
 * Vert.x context that called {@link #record}/{@link #forget} (directly on the producer's thread when
 * there was none). Restores run on up to {@link JournalSettings#restoreThreads()} daemon threads
 * ({@code troupe-journal-restore-N}), never on the caller's. {@link #close()} blocks: not on an event loop.
 */
public final class KafkaJobJournal implements JobJournal {

    private static final Logger log = LoggerFactory.getLogger(KafkaJobJournal.class);

    /** Writes waiting for the journal thread at most; more fail at once instead of piling up in memory. */
    static final int MAX_QUEUED_WRITES = 10_000;
    /** Restores waiting for a journal thread at most (one per assigned partition is the most a rebalance asks). */
    static final int MAX_QUEUED_RESTORES = 1_024;

    private final Producer<byte[], byte[]> producer;
    private final Supplier<Consumer<byte[], byte[]>> restoreConsumers;
    private final JournalCodec codec;
    private final JournalSettings settings;
    private final Clock clock;
    private final ThreadPoolExecutor writer;
    private final ThreadPoolExecutor restorers;
    private final Admin admin;
    private volatile boolean closed;

    /**
     * @param restoreConsumers a new consumer per restore, not in a group ({@code read_committed}, no auto commit);
     *                         the restore closes it
     */
    public KafkaJobJournal(Producer<byte[], byte[]> producer, Supplier<Consumer<byte[], byte[]>> restoreConsumers,
                           JournalCodec codec, JournalSettings settings, Clock clock) {
        this(producer, restoreConsumers, null, codec, settings, clock);
    }

    /**
     * @param admin reads where a state partition's log ends (its high watermark), so that a restore waits
     *              for a transaction left open there; null: a restore reads to the restore consumer's end
     *              offset (enough when nothing writes to the topic in transactions). Closed with the journal.
     */
    public KafkaJobJournal(Producer<byte[], byte[]> producer, Supplier<Consumer<byte[], byte[]>> restoreConsumers, Admin admin,
                           JournalCodec codec, JournalSettings settings, Clock clock) {
        this.admin = admin;
        this.producer = Objects.requireNonNull(producer, "producer");
        this.restoreConsumers = Objects.requireNonNull(restoreConsumers, "restoreConsumers");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.writer = pool(1, MAX_QUEUED_WRITES, "troupe-journal-writer");
        this.restorers = pool(settings.restoreThreads(), MAX_QUEUED_RESTORES, "troupe-journal-restore-");
    }

    /**
     * The journal of a worker: its producer and restore consumers take the worker's bootstrap servers and
     * {@code kafka.*} properties, with acks=all, idempotence and read_committed whatever those say.
     *
     * @param clientId prefix of the clients' {@code client.id} (the worker's instance name)
     */
    public static KafkaJobJournal create(WorkerConfig config, JournalCodec codec, String clientId, Clock clock) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(JournalClients.producer(config, clientId));
        // With exactly-once results, FINISHED entries are written in the results' transactions.
        Admin admin = config.results().exactlyOnce() ? Admin.create(JournalClients.admin(config, clientId)) : null;
        return new KafkaJobJournal(producer, () -> new KafkaConsumer<>(JournalClients.restoreConsumer(config, clientId)), admin, codec,
                JournalSettings.of(config), clock);
    }

    @Override
    public Future<Void> record(TopicPartition jobsPartition, JournalEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return write(jobsPartition, entry.jobId(), entry, entry.kind() + " of job " + entry.jobId()).mapEmpty();
    }

    @Override
    public Future<Long> park(TopicPartition jobsPartition, JournalEntry.Parked entry) {
        Objects.requireNonNull(entry, "entry");
        return write(jobsPartition, entry.jobId(), entry, entry.kind() + " of job " + entry.jobId());
    }

    @Override
    public Future<Void> forget(TopicPartition jobsPartition, String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return write(jobsPartition, jobId, null, "the tombstone of job " + jobId).mapEmpty();
    }

    /** {@code entry} null writes a tombstone; completes with the record's offset. */
    private Future<Long> write(TopicPartition jobsPartition, String jobId, JournalEntry entry, String what) {
        Objects.requireNonNull(jobsPartition, "jobsPartition");
        Write write = new Write(jobsPartition, jobId, entry, what, Vertx.currentContext());
        if (closed) {
            return Future.failedFuture(closedError(what, write.where));
        }
        try {
            writer.execute(write);
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(closed ? closedError(what, write.where) : new IllegalStateException("journal write of "
                    + what + " to " + write.where + " refused: " + MAX_QUEUED_WRITES
                    + " writes are already waiting (is Kafka slow or down?)"));
        }
        return write.acked.future();
    }

    /** One write, encoded and sent on the journal thread; completed on the caller's context. */
    private final class Write implements Runnable {

        final TopicPartition jobsPartition;
        final String jobId;
        final JournalEntry entry;
        final String what;
        final String where;
        final Context context;
        final Promise<Long> acked = Promise.promise();

        Write(TopicPartition jobsPartition, String jobId, JournalEntry entry, String what, Context context) {
            this.jobsPartition = jobsPartition;
            this.jobId = jobId;
            this.entry = entry;
            this.what = what;
            this.where = settings.stateTopic() + "-" + jobsPartition.partition();
            this.context = context;
        }

        @Override
        public void run() {
            try {
                byte[] value = entry == null ? null : codec.encode(entry);
                requireStatePartition(jobsPartition);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(settings.stateTopic(), jobsPartition.partition(),
                        jobId.getBytes(StandardCharsets.UTF_8), value);
                producer.send(record, (metadata, error) -> complete(error == null ? metadata.offset() : -1,
                        error == null ? null : failure(what, where, error)));
            } catch (RuntimeException e) {
                // Thrown by send itself (closed, an invalid partition, a serialization error) or by encode.
                complete(-1, failure(what, where, e));
            }
        }

        void complete(long offset, RuntimeException error) {
            onContext(context, () -> {
                if (error == null) {
                    acked.tryComplete(offset);
                } else {
                    acked.tryFail(error);
                }
            });
        }
    }

    /**
     * The producer would wait {@code max.block.ms} (a minute) for a partition it does not know, holding
     * every write behind it; the partition count it has (cached, fetched once) answers at once.
     */
    private void requireStatePartition(TopicPartition jobsPartition) {
        int partitions = producer.partitionsFor(settings.stateTopic()).size();
        if (jobsPartition.partition() < 0 || jobsPartition.partition() >= partitions) {
            throw new IllegalArgumentException("the journal topic " + settings.stateTopic() + " has " + partitions
                    + " partitions, none for " + jobsPartition + " (topics.state.partitions must equal topics.jobs.partitions)");
        }
    }

    private RuntimeException failure(String what, String where, Exception error) {
        if (closed) {
            return closedError(what, where);
        }
        return new IllegalStateException("journal write of " + what + " to " + where + " failed: " + error, error);
    }

    private IllegalStateException closedError(String what, String where) {
        return new IllegalStateException("the journal on " + settings.stateTopic() + " is closed: " + what + " was not written to "
                + where);
    }

    @Override
    public CompletableFuture<JournalRestore> recover(TopicPartition jobsPartition) {
        Objects.requireNonNull(jobsPartition, "jobsPartition");
        Restore restore = new Restore(jobsPartition);
        if (closed) {
            restore.fail(restore.closedError());
            return restore.result;
        }
        try {
            restorers.execute(restore);
        } catch (RejectedExecutionException e) {
            restore.fail(closed ? restore.closedError() : new IllegalStateException("restore of the journal " + restore.statePartition
                    + " refused: " + MAX_QUEUED_RESTORES + " restores are already waiting"));
        }
        return restore.result;
    }

    @Override
    public Future<Map<Long, JournalEntry>> readBack(TopicPartition jobsPartition, Collection<Long> offsets) {
        Objects.requireNonNull(jobsPartition, "jobsPartition");
        ReadBack read = new ReadBack(jobsPartition, List.copyOf(offsets), Vertx.currentContext());
        if (closed) {
            return Future.failedFuture(read.closedError());
        }
        try {
            restorers.execute(read);
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(closed ? read.closedError() : new IllegalStateException("reading parked jobs back from "
                    + read.where + " refused: " + MAX_QUEUED_RESTORES + " reads are already waiting"));
        }
        return read.found.future();
    }

    /** Tasks of the restore threads, failed as a whole when the journal closes first. */
    private interface JournalRead extends Runnable {
        void fail(Throwable error);

        IllegalStateException closedError();
    }

    /** Parked jobs read back by offset, on a restore thread; completed on the caller's context. */
    private final class ReadBack implements JournalRead {

        final TopicPartition jobsPartition;
        final List<Long> offsets;
        final Context context;
        final String where;
        final Promise<Map<Long, JournalEntry>> found = Promise.promise();

        ReadBack(TopicPartition jobsPartition, List<Long> offsets, Context context) {
            this.jobsPartition = jobsPartition;
            this.offsets = offsets;
            this.context = context;
            this.where = settings.stateTopic() + "-" + jobsPartition.partition();
        }

        @Override
        public void run() {
            try {
                Map<Long, JournalEntry> entries = withRestoreConsumer(consumer -> new JournalReplay(consumer, jobsPartition,
                        settings.stateTopic(), codec, Instant.MIN, settings.restorePatience(),
                        admin == null ? null : KafkaJobJournal.this::highWatermark).readAt(offsets), where);
                onContext(context, () -> found.tryComplete(entries));
            } catch (RuntimeException e) {
                fail(closed ? closedError() : e);
            }
        }

        @Override
        public void fail(Throwable error) {
            onContext(context, () -> found.tryFail(error));
        }

        @Override
        public IllegalStateException closedError() {
            return new IllegalStateException("the journal on " + settings.stateTopic() + " is closed: " + offsets.size()
                    + " parked job(s) were not read back from " + where);
        }
    }

    /** Runs {@code read} with a new restore consumer, closed before this returns (its caller may close the journal next). */
    private <T> T withRestoreConsumer(java.util.function.Function<Consumer<byte[], byte[]>, T> read, String where) {
        Consumer<byte[], byte[]> consumer = restoreConsumers.get();
        try {
            return read.apply(consumer);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(settings.closeTimeout()));
            } catch (RuntimeException e) {
                log.debug("journal {}: closing a reading consumer failed", where, e);
            }
        }
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** One partition's restore, on a journal thread; failed as a whole when the journal closes first. */
    private final class Restore implements JournalRead {

        final TopicPartition jobsPartition;
        final TopicPartition statePartition;
        final CompletableFuture<JournalRestore> result = new CompletableFuture<>();

        Restore(TopicPartition jobsPartition) {
            this.jobsPartition = jobsPartition;
            this.statePartition = new TopicPartition(settings.stateTopic(), jobsPartition.partition());
        }

        @Override
        public void run() {
            try {
                JournalReplay.Outcome outcome = read();
                tombstone(outcome.expired());
                report(outcome);
                result.complete(outcome.restore());
            } catch (RuntimeException e) {
                fail(closed ? closedError() : e);
            }
        }

        /** The consumer is closed before the restore completes: its caller may close the journal next. */
        private JournalReplay.Outcome read() {
            return withRestoreConsumer(consumer -> new JournalReplay(consumer, jobsPartition, settings.stateTopic(), codec,
                    clock.instant().minus(settings.retention()), settings.restorePatience(),
                    admin == null ? null : KafkaJobJournal.this::highWatermark).run(), statePartition.toString());
        }

        /** Sent before the restore completes, so they go ahead of any entry its new owner writes next. */
        private void tombstone(List<String> expired) {
            for (String jobId : expired) {
                forget(jobsPartition, jobId).onFailure(e -> log.warn("journal {}: the tombstone of expired job {} was not written: {}",
                        statePartition, jobId, e.getMessage()));
            }
        }

        private void report(JournalReplay.Outcome outcome) {
            JournalRestore restore = outcome.restore();
            if (outcome.firstUnreadable() != null) {
                log.warn("journal {}: {} record(s) skipped as unreadable; the first, at offset {}: {}", statePartition,
                        restore.unreadable(), outcome.firstUnreadable().offset(), outcome.firstUnreadable().reason());
            }
            log.info("journal {}: {} job(s) restored from {} record(s) in {} ms ({} finished job(s) older than {} dropped)",
                    statePartition, restore.entries().size(), restore.recordsRead(), restore.took().toMillis(),
                    outcome.expired().size(), settings.retention());
        }

        @Override
        public void fail(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public IllegalStateException closedError() {
            return new IllegalStateException("the journal on " + settings.stateTopic() + " is closed: the restore of "
                    + statePartition + " did not complete");
        }
    }

    private long highWatermark(TopicPartition statePartition, Duration timeout) {
        try {
            return admin.listOffsets(Map.of(statePartition, OffsetSpec.latest()),
                            new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs((int) timeout.toMillis()))
                    .partitionResult(statePartition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("the end offset of " + statePartition + " did not come within " + timeout);
        }
    }

    /**
     * Sends what was written before (waiting up to {@link JournalSettings#closeTimeout()} for acknowledgements),
     * then stops restores; later writes and restores fail. Blocking, idempotent.
     */
    @Override
    public void close() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("KafkaJobJournal.close blocks; call it from a non-event-loop thread");
        }
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        writer.shutdown();
        restorers.shutdownNow().forEach(queued -> ((JournalRead) queued).fail(((JournalRead) queued).closedError()));
        try {
            if (!writer.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                log.warn("journal on {}: writes still queued after {}; they fail", settings.stateTopic(), settings.closeTimeout());
                writer.shutdownNow().forEach(queued -> ((Write) queued).complete(-1, closedError(((Write) queued).what,
                        ((Write) queued).where)));
            }
            producer.close(Duration.ofNanos(remaining(deadline)));
            if (admin != null) {
                admin.close(Duration.ofNanos(remaining(deadline)));
            }
            if (!restorers.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                log.warn("journal on {}: a restore was still stopping after {}", settings.stateTopic(), settings.closeTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            producer.close(Duration.ZERO);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static ThreadPoolExecutor pool(int threads, int queue, String name) {
        AtomicInteger sequence = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name.endsWith("-") ? name + sequence.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
