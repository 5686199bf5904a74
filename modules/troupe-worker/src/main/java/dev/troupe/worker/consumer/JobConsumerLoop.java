package dev.troupe.worker.consumer;

import dev.troupe.worker.offset.FinishedAhead;
import dev.troupe.worker.offset.OffsetTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@link KafkaConsumer} on one dedicated thread (it is not thread-safe): polls, tracks
 * offsets, hands records to the {@link JobSink}, applies completions from the {@link CompletionQueue},
 * commits only below unfinished jobs, and pauses all partitions while too many records are
 * unfinished (backpressure without an unbounded buffer).
 */
public final class JobConsumerLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(JobConsumerLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

    /** Tunables of the loop; validated by the worker configuration. */
    public record Settings(String topic, int maxUnfinishedRecords, long maxParkedBytes, Duration revocationGrace,
                           Duration shutdownGrace) {}

    /** Pause after a failed poll iteration, so a failure that repeats does not spin the thread. */
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Settings settings;
    private final JobSink sink;
    private final CompletionQueue completions;
    private final OffsetTracker offsets = new OffsetTracker();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Map<TopicPartition, FinishedAhead> finishedByPreviousOwner = new HashMap<>();

    private volatile boolean stopRequested;
    private volatile Instant lastSuccessfulPoll = Instant.EPOCH;
    /** A poll does not fail while the broker is away; the group heartbeat's age shows it. */
    private volatile double secondsSinceHeartbeat = Double.MAX_VALUE;
    private Metric heartbeatAge;
    private volatile int assignedPartitions;
    private boolean paused;
    /** Set once the stop has handed back, waited for and committed every partition. */
    private boolean drained;

    public JobConsumerLoop(KafkaConsumer<byte[], byte[]> consumer, Settings settings, JobSink sink, CompletionQueue completions) {
        this.consumer = consumer;
        this.settings = settings;
        this.sink = sink;
        this.completions = completions;
    }

    @Override
    public void run() {
        try {
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
        applyCompletions();
        commitDue();
        applyBackpressure();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        lastSuccessfulPoll = Instant.now();
        secondsSinceHeartbeat = secondsSinceHeartbeat();
        if (records.isEmpty()) {
            return;
        }
        List<JobRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            offsets.track(tp, r.offset());
            FinishedAhead finished = finishedByPreviousOwner.get(tp);
            if (finished != null && finished.finished(r.offset())) {
                offsets.complete(tp, r.offset()); // its result is already on the results topic
                continue;
            }
            batch.add(new JobRecord(tp, r.offset(), r.key(), r.value(), r.headers(), Instant.ofEpochMilli(r.timestamp())));
        }
        if (!batch.isEmpty()) {
            sink.deliver(batch);
        }
    }

    private void applyCompletions() {
        completions.drainTo(c -> offsets.complete(c.partition(), c.offset()));
    }

    private void commitDue() {
        Map<TopicPartition, OffsetAndMetadata> due = offsets.commitsDue();
        if (!due.isEmpty()) {
            // The callback runs on this thread (inside a later poll or commit), so the tracker stays confined.
            consumer.commitAsync(due, (committed, error) -> {
                if (error != null) {
                    // Offered again by the next commitsDue(), unless a newer commit superseded it.
                    offsets.commitFailed(due);
                    log.debug("offset commit of {} failed, will retry: {}", due.keySet(), error.toString());
                }
            });
        }
    }

    /**
     * Pauses every partition while the worker holds as many unfinished records as it may, and resumes
     * at half. Jobs parked on a spent budget do not count (they would stop every other tenant); the
     * bytes they hold have a bound of their own.
     */
    private void applyBackpressure() {
        int unfinished = Math.max(0, offsets.inFlight() - sink.parkedRecords());
        boolean parkingFull = sink.parkedBytes() > settings.maxParkedBytes();
        boolean full = unfinished >= settings.maxUnfinishedRecords() || parkingFull;
        if (!paused && full) {
            consumer.pause(consumer.assignment());
            paused = true;
            if (parkingFull) {
                log.warn("paused: jobs parked on spent budgets hold {} bytes, more than worker.max-parked-bytes ({})",
                        sink.parkedBytes(), settings.maxParkedBytes());
            } else {
                log.debug("paused: {} unfinished records", unfinished);
            }
        } else if (paused && !parkingFull && unfinished <= settings.maxUnfinishedRecords() / 2) {
            consumer.resume(consumer.paused());
            paused = false;
            log.debug("resumed: {} unfinished records", unfinished);
        } else if (paused) {
            // Partitions assigned while paused come in unpaused.
            consumer.pause(consumer.assignment());
        }
    }

    /** Stop polling new work, let jobs Givon may hold finish up to the grace period, commit, leave. */
    private void drainOnStop() {
        Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
        consumer.pause(owned);
        CompletableFuture<Void> finished = sink.revoke(owned);
        awaitWhileApplying(finished, settings.shutdownGrace(), "shutdown");
        applyCompletions();
        Map<TopicPartition, OffsetAndMetadata> safe = offsets.revoke(owned);
        commitNow(safe, "shutdown");
        drained = true;
    }

    /** Waits on the consumer thread (never an event loop) while still applying completions. */
    private void awaitWhileApplying(CompletableFuture<Void> done, Duration grace, String why) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!done.isDone() && System.nanoTime() < deadline) {
            applyCompletions();
            try {
                done.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // keep applying completions
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                log.warn("{}: waiting for in-flight jobs failed", why, e.getCause());
                return;
            }
        }
        if (!done.isDone()) {
            log.warn("{}: grace period {} ended with jobs still running; their records will be redelivered", why, grace);
        }
    }

    private void commitNow(Map<TopicPartition, OffsetAndMetadata> safe, String why) {
        if (safe.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(safe, Duration.ofSeconds(10));
            log.debug("{}: committed {}", why, safe);
        } catch (RuntimeException e) {
            log.warn("{}: commit of {} failed; those records will be redelivered", why, safe, e);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // consumer.close() revokes everything once more after the drain: nothing is left to wait for.
            if (partitions.isEmpty() || drained) {
                return;
            }
            CompletableFuture<Void> finished = sink.revoke(partitions);
            awaitWhileApplying(finished, settings.revocationGrace(), "revocation of " + partitions);
            applyCompletions();
            commitNow(offsets.revoke(partitions), "revocation");
            partitions.forEach(finishedByPreviousOwner::remove);
            assignedPartitions = consumer.assignment().size() - partitions.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignedPartitions = consumer.assignment().size();
            log.info("assigned {}", partitions);
            learnWhatThePreviousOwnerFinished(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            sink.revoke(partitions);
            offsets.revoke(partitions);
            partitions.forEach(finishedByPreviousOwner::remove);
            assignedPartitions = Math.max(0, consumer.assignment().size() - partitions.size());
            log.warn("lost {}: their unfinished records will be redelivered to the new owner", partitions);
        }
    }

    /**
     * Jobs above the committed offset that the previous owner finished out of order are named in
     * the commit's metadata ({@link FinishedAhead}); they are skipped rather than run and paid again.
     */
    private void learnWhatThePreviousOwnerFinished(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(10));
            committed.forEach((tp, commit) -> {
                if (commit != null) {
                    FinishedAhead.decode(commit.offset(), commit.metadata()).ifPresent(finished -> {
                        finishedByPreviousOwner.put(tp, finished);
                        log.info("{}: {} record(s) above offset {} already have results; skipping them", tp, finished.size(), commit.offset());
                    });
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not read the committed offsets of {}: finished jobs above them may run again", partitions, e);
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
