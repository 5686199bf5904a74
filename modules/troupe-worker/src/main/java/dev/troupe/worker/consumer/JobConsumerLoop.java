package dev.troupe.worker.consumer;

import dev.troupe.worker.journal.JobJournal;
import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.limit.AccountShare;
import dev.troupe.worker.offset.OffsetTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@link KafkaConsumer} on one dedicated thread (it is not thread-safe): polls, tracks
 * offsets, hands records to the {@link JobSink}, carries out the {@link ConsumerCommands} others send
 * it (completions, hand-backs, journal restores), commits only below unfinished jobs, keeps a newly
 * assigned partition paused until its journal is read, and pauses all partitions while too many
 * records are unfinished (backpressure without an unbounded buffer).
 */
public final class JobConsumerLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(JobConsumerLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

    /** Tunables of the loop; validated by the worker configuration. */
    public record Settings(String topic, int maxUnfinishedRecords, long maxParkedBytes, Duration revocationGrace,
                           Duration shutdownGrace) {}

    /** Pause after a failed poll iteration, so a failure that repeats does not spin the thread. */
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);
    private static final Duration HAND_BACK_MARGIN = Duration.ofSeconds(2);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Settings settings;
    private final JobSink sink;
    private final ConsumerCommands commands;
    private final JobJournal journal;
    private final Committer committer;
    private final OffsetTracker offsets = new OffsetTracker();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    private volatile boolean stopRequested;
    private volatile Instant lastSuccessfulPoll = Instant.EPOCH;
    /** A poll does not fail while the broker is away; the group heartbeat's age shows it. */
    private volatile double secondsSinceHeartbeat = Double.MAX_VALUE;
    private Metric heartbeatAge;
    private volatile int assignedPartitions;
    private final AccountShare share;
    private boolean paused;
    /** Set once the stop has handed back, waited for and committed every partition. */
    private boolean drained;

    /**
     * @param committer how finished records count: offsets alone, or outcomes and offsets in transactions;
     *                  made for {@code consumer}, closed by this loop when it stops
     */
    public JobConsumerLoop(KafkaConsumer<byte[], byte[]> consumer, Settings settings, JobSink sink, ConsumerCommands commands,
                           JobJournal journal, Committer committer) {
        this(consumer, settings, sink, commands, journal, committer, null);
    }

    /** @param share told of every change of the partitions owned (null: the worker has no account limits to divide) */
    public JobConsumerLoop(KafkaConsumer<byte[], byte[]> consumer, Settings settings, JobSink sink, ConsumerCommands commands,
                           JobJournal journal, Committer committer, AccountShare share) {
        this.share = share;
        this.consumer = consumer;
        this.committer = committer;
        this.settings = settings;
        this.sink = sink;
        this.commands = commands;
        this.journal = journal;
    }

    /** Revoked partitions the runner has not handed back yet (see {@link ConsumerCommand.HandedBack}). */
    private final Set<TopicPartition> awaitingHandBack = new HashSet<>();

    @Override
    public void run() {
        try {
            committer.start();
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            started.complete(null);
            while (!stopRequested) {
                pollGuarded();
            }
            drainOnStop();
        } catch (WakeupException e) {
            if (!stopRequested) {
                log.error("consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            log.error("consumer loop failed; this worker stops consuming", e);
        } finally {
            try {
                committer.close();
            } catch (RuntimeException e) {
                log.warn("closing the committer failed", e);
            }
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.warn("closing the consumer failed", e);
            }
            stopped.countDown();
        }
    }

    /**
     * One poll, whatever it throws: a failure (a bug, or something a record caused that the runner did
     * not catch) is logged and the loop goes on, so no single record can stop this worker consuming.
     * Readiness reflects it: a loop that fails on every poll stops counting successful polls.
     */
    private void pollGuarded() {
        try {
            pollOnce();
            consecutiveFailures = 0;
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            consecutiveFailures++;
            if (consecutiveFailures == 1 || consecutiveFailures % 60 == 0) {
                log.error("a poll of the consumer loop failed ({} in a row); the loop goes on", consecutiveFailures, e);
            }
            try {
                Thread.sleep(AFTER_FAILURE.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                stopRequested = true;
            }
        }
    }

    private int consecutiveFailures;

    private void pollOnce() {
        applyCommands();
        commitDue();
        applyBackpressure();
        if (share != null && share.rebalanceDue()) {
            consumer.enforceRebalance("a new division of givon.max-in-flight");
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        lastSuccessfulPoll = Instant.now();
        secondsSinceHeartbeat = secondsSinceHeartbeat();
        if (records.isEmpty()) {
            return;
        }
        List<JobRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            long assignment = offsets.track(tp, r.offset());
            batch.add(new JobRecord(tp, r.offset(), r.key(), r.value(), r.headers(), Instant.ofEpochMilli(r.timestamp()), assignment));
        }
        if (!batch.isEmpty()) {
            sink.deliver(batch);
        }
    }

    private void applyCommands() {
        commands.drainTo(this::apply);
    }

    private void apply(ConsumerCommand command) {
        if (command instanceof ConsumerCommand.Complete complete) {
            offsets.complete(complete.partition(), complete.offset());
        } else if (command instanceof ConsumerCommand.Publish publish) {
            JobRecord record = publish.record();
            // An outcome of an earlier assignment is the next owner's to publish: it finds the job in the journal.
            // A job resumed from the journal has no record to complete: its offset was committed when it was parked.
            if (offsets.isCurrent(record.partition(), record.assignment())
                    && (!record.hasOffset() || offsets.complete(record.partition(), record.offset()))) {
                committer.stage(publish);
            } else {
                publish.done().accept(new IllegalStateException("outcome of " + record.coordinates()
                        + " not published: its partition's assignment " + record.assignment() + " is over"));
            }
        } else if (command instanceof ConsumerCommand.HandedBack handedBack) {
            awaitingHandBack.removeAll(handedBack.partitions());
        } else if (command instanceof ConsumerCommand.Restored restored) {
            TopicPartition tp = restored.restore().partition();
            if (offsets.isCurrent(tp, restored.assignment())) {
                // Queued to the runner before any record of the partition, which is resumed only now; the runner counts
                // the generations it finds at Givon before this worker's share may grow.
                sink.restored(restored.restore(), restored.assignment(),
                        share == null ? () -> { } : () -> share.restored(tp.partition()));
                offsets.restored(tp, restored.assignment());
                log.info("{}: journal read ({} job(s) under way or finished, {} parked, {} record(s)) in {} ms", tp,
                        restored.restore().entries().size(), restored.restore().parked().size(), restored.restore().recordsRead(),
                        restored.restore().took().toMillis());
            }
        } else if (command instanceof ConsumerCommand.RestoreFailed failed) {
            if (offsets.isCurrent(failed.partition(), failed.assignment())) {
                log.warn("{}: reading its journal failed; it stays paused and is read again: {}", failed.partition(),
                        failed.cause().toString());
                restore(failed.partition(), failed.assignment());
            }
        }
    }

    /** Reads the partition's journal off this thread; the answer comes back as a command. */
    private void restore(TopicPartition tp, long assignment) {
        CompletableFuture<JournalRestore> reading;
        try {
            reading = journal.recover(tp);
        } catch (RuntimeException e) {
            reading = CompletableFuture.failedFuture(e);
        }
        reading.whenComplete((restore, error) -> commands.add(error == null
                ? new ConsumerCommand.Restored(restore, assignment)
                : new ConsumerCommand.RestoreFailed(tp, assignment, error)));
    }

    private void commitDue() {
        committer.commitDue(offsets, false);
    }

    /**
     * Pauses every partition while the worker holds as many unfinished records as it may, and resumes
     * at half; a partition whose journal is still being read stays paused whatever the load. Jobs
     * parked on a spent budget do not count (they would stop every other tenant); the bytes they hold
     * have a bound of their own.
     */
    private void applyBackpressure() {
        int unfinished = Math.max(0, offsets.inFlight() - sink.parkedRecords());
        boolean parkingFull = sink.parkedBytes() > settings.maxParkedBytes();
        boolean full = unfinished >= settings.maxUnfinishedRecords() || parkingFull;
        if (!paused && full) {
            paused = true;
            if (parkingFull) {
                log.warn("paused: jobs parked on spent budgets hold {} bytes, more than worker.max-parked-bytes ({})",
                        sink.parkedBytes(), settings.maxParkedBytes());
            } else {
                log.debug("paused: {} unfinished records", unfinished);
            }
        } else if (paused && !parkingFull && unfinished <= settings.maxUnfinishedRecords() / 2) {
            paused = false;
            log.debug("resumed: {} unfinished records", unfinished);
        }
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> hold = paused ? assigned : offsets.restoring();
        if (!hold.isEmpty()) {
            consumer.pause(hold);
        }
        Set<TopicPartition> release = new HashSet<>(consumer.paused());
        release.removeAll(hold);
        if (!release.isEmpty()) {
            consumer.resume(release);
        }
    }

    /** Stop polling new work, let jobs Givon may hold finish up to the grace period, commit, leave. */
    private void drainOnStop() {
        Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
        consumer.pause(owned);
        handBack(owned, settings.shutdownGrace(), "shutdown");
        committer.commitFinal(offsets, owned, "shutdown");
        drained = true;
    }

    /**
     * Asks the runner to let go of the partitions and carries out commands (completions above all)
     * until it has, or the grace runs out. Runs on this thread, never an event loop; waits on the
     * command queue, not on a future.
     */
    private void handBack(Set<TopicPartition> partitions, Duration grace, String why) {
        if (partitions.isEmpty()) {
            return;
        }
        awaitingHandBack.addAll(partitions);
        sink.revoke(partitions, grace);
        // The runner hands over what is left at the grace; a little longer here lets its answer arrive.
        long deadline = System.nanoTime() + grace.plus(HAND_BACK_MARGIN).toNanos();
        try {
            while (awaitingHandBack.stream().anyMatch(partitions::contains) && System.nanoTime() < deadline) {
                ConsumerCommand next = commands.next(Duration.ofMillis(20));
                if (next != null) {
                    apply(next);
                }
                if (committer.staged() > 0) {
                    // The jobs being handed back end only once their outcomes are committed.
                    committer.commitDue(offsets, true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        applyCommands();
        if (awaitingHandBack.removeAll(partitions)) {
            log.warn("{}: grace period {} ended with jobs still running; their records will be redelivered", why, grace);
        }
    }

    /** The account's limits follow the partitions owned (cooperative rebalances always end in onPartitionsAssigned). */
    private void ownershipChanged(Set<TopicPartition> owned, Collection<TopicPartition> newlyOwned) {
        if (share != null) {
            share.owned(numbers(owned), numbers(newlyOwned), consumer.groupMetadata().generationId(),
                    () -> consumer.partitionsFor(settings.topic()).size());
        }
    }

    private List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tp.topic().equals(settings.topic())).map(TopicPartition::partition).toList();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // consumer.close() revokes everything once more after the drain: nothing is left to wait for.
            if (partitions.isEmpty() || drained) {
                return;
            }
            handBack(Set.copyOf(partitions), settings.revocationGrace(), "revocation of " + partitions);
            committer.commitFinal(offsets, partitions, "revocation of " + partitions);
            assignedPartitions = consumer.assignment().size() - partitions.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignedPartitions = consumer.assignment().size();
            log.info("assigned {}", partitions);
            ownershipChanged(consumer.assignment(), partitions);
            if (!partitions.isEmpty()) {
                // Held back until the journal says what the previous owner had at Givon.
                consumer.pause(partitions);
            }
            for (TopicPartition tp : partitions) {
                restore(tp, offsets.assign(tp));
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            sink.revoke(partitions, Duration.ZERO);
            offsets.revoke(partitions);
            committer.drop(partitions);
            assignedPartitions = Math.max(0, consumer.assignment().size() - partitions.size());
            Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
            kept.removeAll(partitions);
            ownershipChanged(kept, List.of());
            log.warn("lost {}: their unfinished records will be redelivered to the new owner", partitions);
        }
    }

    /** Completes when the consumer has subscribed (or failed to). */
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Asks the loop to drain and stop; returns at once. */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ready = partitions assigned, the poll loop running, and a group heartbeat (so the broker) answered in the last 10 s. */
    public boolean ready() {
        return assignedPartitions > 0 && Duration.between(lastSuccessfulPoll, Instant.now()).toSeconds() < 10
                && secondsSinceHeartbeat < 10;
    }

    /** The consumer's own "last-heartbeat-seconds-ago"; read on this thread (the consumer is not thread-safe). */
    private double secondsSinceHeartbeat() {
        if (heartbeatAge == null) {
            heartbeatAge = consumer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("last-heartbeat-seconds-ago")
                            && e.getKey().group().equals("consumer-coordinator-metrics"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        return heartbeatAge == null ? Double.MAX_VALUE : ((Number) heartbeatAge.metricValue()).doubleValue();
    }

    public boolean live() {
        return stopped.getCount() > 0;
    }

}
