package dev.troupe.worker.results;

import dev.troupe.worker.consumer.Committer;
import dev.troupe.worker.consumer.ConsumerCommand;
import dev.troupe.worker.offset.OffsetTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once ({@code results.delivery: exactly-once}, DESIGN.md "Exactly-once results"): the
 * outcomes of finished records (results, dead letters, the journal's FINISHED entries) and the
 * offsets that cover them go in one Kafka transaction, every {@code commitInterval} or
 * {@code maxOutcomes} outcomes. A read_committed reader sees a job's result exactly when its offset
 * is committed, so a crash at any moment neither loses it nor shows it twice.
 *
 * <p>Runs on the consumer thread, which owns the offsets and the group metadata that fences the
 * transaction (KIP-447): every transaction carries the commit point of every owned partition, so a
 * worker whose assignment is over (a zombie after a long pause) cannot commit one. A failed
 * transaction is aborted and its outcomes are sent again in the next one, unless their partitions are
 * gone meanwhile; a record refused as too large moves to its next, smaller form. Blocking calls
 * (commit, abort) take the consumer thread for as long as the broker needs, as Kafka Streams does.
 */
public final class ResultTransactions implements Committer {

    private static final Logger log = LoggerFactory.getLogger(ResultTransactions.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final Consumer<byte[], byte[]> consumer;
    private final long intervalNanos;
    private final int maxOutcomes;
    private final RecordLimits limits;
    private final TransactionObserver observer;
    private final List<Staged> staged = new ArrayList<>();
    private Producer<byte[], byte[]> producer;
    private long lastCommit = System.nanoTime();
    /** nanoTime may be negative: the first try is due at once, not once it passes 0. */
    private long retryAt = System.nanoTime();
    private long retryMillis = FIRST_RETRY_MILLIS;

    /** What the metrics hear of each transaction. */
    public interface TransactionObserver {
        void committed(int outcomes, long nanos);

        void aborted(int outcomes);

    }

    /**
     * @param producers       a new transactional producer (its {@code transactional.id} this worker's own);
     *                        called again when one fails for good
     * @param consumer        the group's consumer, for its metadata
     * @param limits          the most a record of a topic may take; forms known to be larger are not sent (one
     *                        refused record makes the broker refuse its whole batch, and the transaction with it)
     */
    public ResultTransactions(Supplier<Producer<byte[], byte[]>> producers, Consumer<byte[], byte[]> consumer, Duration commitInterval,
                              int maxOutcomes, RecordLimits limits, TransactionObserver observer) {
        this.producers = producers;
        this.consumer = consumer;
        this.intervalNanos = commitInterval.toNanos();
        this.maxOutcomes = maxOutcomes;
        this.limits = limits;
        this.observer = observer;
    }

    @Override
    public void start() {
        producer = newProducer();
    }

    @Override
    public void stage(ConsumerCommand.Publish publish) {
        staged.add(new Staged(publish));
    }

    @Override
    public int staged() {
        return staged.size();
    }

    @Override
    public void commitDue(OffsetTracker offsets, boolean now) {
        long at = System.nanoTime();
        boolean due = now || at - lastCommit >= intervalNanos || staged.size() >= maxOutcomes;
        if (!due || at - retryAt < 0) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> moved = offsets.commitsDue();
        if (moved.isEmpty() && staged.isEmpty()) {
            lastCommit = at;
            return;
        }
        if (!transact(offsets.commitPoints(), "commit")) {
            offsets.commitFailed(moved);
        }
    }

    @Override
    public void commitFinal(OffsetTracker offsets, Collection<TopicPartition> partitions, String why) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>(offsets.revoke(partitions));
        // The partitions kept go along, so the transaction is fenced like any other.
        offsets.commitPoints().forEach(commits::putIfAbsent);
        boolean done = transact(commits, why);
        // Tried once more at once: a revocation has no later turn for these partitions.
        if (!done && !transact(commits, why + " (second try)")) {
            drop(partitions, why + ": the final transaction failed");
        }
    }

    @Override
    public void drop(Collection<TopicPartition> partitions) {
        drop(partitions, "its partition was lost");
    }

    private void drop(Collection<TopicPartition> partitions, String why) {
        for (Iterator<Staged> it = staged.iterator(); it.hasNext(); ) {
            Staged s = it.next();
            if (partitions.contains(s.publish.record().partition())) {
                it.remove();
                s.publish.done().accept(new IllegalStateException("outcome of " + s.publish.record().coordinates()
                        + " not published: " + why));
            }
        }
    }

    /** One transaction: every staged outcome and {@code offsets}; true once committed. */
    private boolean transact(Map<TopicPartition, OffsetAndMetadata> offsets, String why) {
        List<Staged> batch = List.copyOf(staged);
        long started = System.nanoTime();
        try {
            if (producer == null) {
                producer = newProducer();
            }
            producer.beginTransaction();
            for (Staged s : batch) {
                s.send(producer, limits);
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abort(batch, why, e);
            return false;
        }
        staged.removeAll(batch);
        lastCommit = System.nanoTime();
        retryMillis = FIRST_RETRY_MILLIS;
        observer.committed(batch.size(), lastCommit - started);
        for (Staged s : batch) {
            s.publish.done().accept(null);
        }
        return true;
    }

    private void abort(List<Staged> batch, String why, RuntimeException cause) {
        observer.aborted(batch.size());
        log.warn("{}: the transaction of {} outcome(s) failed, aborted; they are sent again in {} ms: {}", why, batch.size(),
                retryMillis, cause.toString());
        if (producer != null) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException fatal) {
                // Fenced, or in a state it cannot leave: a new producer with the same transactional.id takes over
                // (its initTransactions also aborts whatever this one left open).
                log.warn("the transactional producer cannot go on ({}); the next transaction starts a new one", fatal.toString());
                producer.close(Duration.ZERO);
                producer = null;
            }
        }
        if (clearRefused(batch)) {
            // A topic's limit was lowered since it was read: read it again, and the next try cuts what is over it.
            if (!limits.refresh()) {
                shrinkLargestRefused(batch);
            }
            retryAt = System.nanoTime();
            return;
        }
        retryAt = System.nanoTime() + retryMillis * 1_000_000;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    }

    /** Whether the broker refused a record of the batch as too large; forgets it for the next try. */
    private static boolean clearRefused(List<Staged> batch) {
        boolean any = false;
        for (Staged s : batch) {
            any |= s.takeRefused();
        }
        return any;
    }

    /**
     * The broker refuses a whole batch for one record over the topic's limit, naming every record in
     * it; when the limits read again say nothing new, the largest record of the transaction moves to
     * its next form, one per abort, until the batch fits.
     */
    private static void shrinkLargestRefused(List<Staged> batch) {
        Staged largest = null;
        int index = -1;
        int size = -1;
        for (Staged s : batch) {
            for (int i = 0; i < s.built.length; i++) {
                int bytes = s.sizeOf(i);
                if (bytes > size) {
                    largest = s;
                    index = i;
                    size = bytes;
                }
            }
        }
        if (largest != null) {
            largest.nextForm(index);
        }
    }

    private Producer<byte[], byte[]> newProducer() {
        Producer<byte[], byte[]> p = producers.get();
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        return p;
    }

    /**
     * Sends nothing more; an open transaction (there is none between calls) would be aborted by the
     * broker. Blocking.
     */
    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        drop(staged.stream().map(s -> s.publish.record().partition()).toList(), "the worker stopped");
    }

    /** One outcome and, for each of its records, the form it is sent in. */
    private static final class Staged {
        final ConsumerCommand.Publish publish;
        final int[] form;
        final ProducerRecord<byte[], byte[]>[] built;
        /** Set by the producer's I/O thread; read after the transaction ended (commit or abort waits for every send). */
        final boolean[] refused;

        @SuppressWarnings("unchecked")
        Staged(ConsumerCommand.Publish publish) {
            this.publish = publish;
            int n = publish.records().size();
            this.form = new int[n];
            this.built = new ProducerRecord[n];
            this.refused = new boolean[n];
        }

        void send(Producer<byte[], byte[]> producer, RecordLimits limits) {
            for (int i = 0; i < built.length; i++) {
                ProducerRecord<byte[], byte[]> record = fitting(i, limits);
                if (record == null) {
                    continue;
                }
                int index = i;
                synchronized (this) {
                    refused[index] = false;
                }
                producer.send(record, (metadata, error) -> {
                    if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
                        synchronized (this) {
                            refused[index] = true;
                        }
                    }
                });
            }
        }

        /**
         * The record's current form, moving past forms known to be too large; null when none fits: the
         * record is given up, loudly, and its outcome counts as published (as {@link ResultPublisher} does),
         * rather than hold its partition's commit for ever.
         */
        private ProducerRecord<byte[], byte[]> fitting(int i, RecordLimits limits) {
            RecordForms forms = publish.records().get(i);
            if (form[i] >= forms.count()) {
                return null;
            }
            while (form[i] < forms.count()) {
                if (built[i] == null) {
                    try {
                        built[i] = forms.form(form[i]);
                    } catch (RuntimeException e) {
                        // Cannot happen for a well-formed outcome; a next form is still better than a lost one.
                        log.warn("{}: form {} could not be built: {}", forms.what(), form[i] + 1, e.toString());
                        form[i]++;
                        continue;
                    }
                }
                if (RecordForms.estimatedSize(built[i]) <= limits.maxRecordBytes(built[i].topic())) {
                    if (form[i] > 0) {
                        log.warn("{} is published cut to fit (form {} of {})", forms.what(), form[i] + 1, forms.count());
                    }
                    return built[i];
                }
                built[i] = null;
                form[i]++;
            }
            log.error("{} cannot be published in any form; check max.request.size and the topic's max.message.bytes. "
                    + "Its record is treated as finished.", forms.what());
            return null;
        }

        synchronized void nextForm(int i) {
            built[i] = null;
            form[i]++;
        }

        /** The estimated size of record {@code i} as last sent; -1 if it was not. */
        synchronized int sizeOf(int i) {
            return built[i] == null ? -1 : RecordForms.estimatedSize(built[i]);
        }

        /** Whether a record was refused as too large in the last try; clears it. */
        synchronized boolean takeRefused() {
            boolean any = false;
            for (int i = 0; i < refused.length; i++) {
                any |= refused[i];
                refused[i] = false;
            }
            return any;
        }
    }
}
