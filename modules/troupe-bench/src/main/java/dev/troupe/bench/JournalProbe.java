package dev.troupe.bench;

import dev.troupe.givon.GivonConfig;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.Tokens;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.journal.JournalTopicCheck;
import dev.troupe.worker.journal.KafkaJobJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures {@link KafkaJobJournal} on the run's broker: the latency of one write as a job sees it
 * before its POST (from a Vert.x context, acks=all, one at a time), the pace of writes sent without
 * waiting, and how long a new owner's restore of a partition holding {@code jobs} jobs takes.
 */
final class JournalProbe {

    /** What one run writes and reads. */
    record Load(int jobs, int sequentialWrites, int warmupWrites, int restores, int inFlight) {}

    private static final int PARTITIONS = 6;

    private final BenchKafka kafka;
    private final Vertx vertx;
    private final Progress progress;

    JournalProbe(BenchKafka kafka, Vertx vertx, Progress progress) {
        this.kafka = kafka;
        this.vertx = vertx;
        this.progress = progress;
    }

    JournalSample measure(Load load) throws Exception {
        BenchKafka.Stage stage = kafka.stage("journal", PARTITIONS);
        WorkerConfig config = WorkerConfig.builder(kafka.bootstrapServers(), GivonConfig.builder().apiKey("bench-only").build())
                .topics(stage.topics()).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            JournalTopicCheck.verify(admin, stage.topics().jobs(), stage.topics().state(), Duration.ofSeconds(30));
        }
        try (KafkaJobJournal journal = KafkaJobJournal.create(config, JournalCodec.defaults(), "bench", Clock.systemUTC())) {
            TopicPartition latencyPartition = new TopicPartition(stage.topics().jobs(), 0);
            TopicPartition restorePartition = new TopicPartition(stage.topics().jobs(), 1);
            progress.say("journal: %,d sequential writes to warm up, then %,d timed", load.warmupWrites(), load.sequentialWrites());
            sequential(journal, latencyPartition, "warm", load.warmupWrites());
            long[] nanos = sequential(journal, latencyPartition, "timed", load.sequentialWrites());
            Arrays.sort(nanos);

            progress.say("journal: writing %,d jobs (submitting, accepted, a tenth finished) to one partition", load.jobs());
            long started = System.nanoTime();
            int written = pipelined(journal, restorePartition, load);
            double writesPerSecond = written / ((System.nanoTime() - started) / 1e9);

            double[] restoreMillis = new double[load.restores()];
            long records = 0;
            for (int i = 0; i < load.restores(); i++) {
                long called = System.nanoTime();
                JournalRestore restore = journal.recover(restorePartition).get(120, TimeUnit.SECONDS);
                restoreMillis[i] = (System.nanoTime() - called) / 1e6;
                if (restore.entries().size() != load.jobs() || restore.unreadable() != 0) {
                    throw new IllegalStateException("restore of " + restorePartition + " found " + restore.entries().size()
                            + " jobs and " + restore.unreadable() + " unreadable records; expected " + load.jobs() + " and 0");
                }
                records = restore.recordsRead();
                progress.say("journal: restore %d of %d: %,d jobs from %,d records in %.0f ms (%d ms reading)", i + 1,
                        load.restores(), restore.entries().size(), records, restoreMillis[i], restore.took().toMillis());
            }
            double first = restoreMillis[0];
            Arrays.sort(restoreMillis);
            JournalSample sample = new JournalSample(nanos.length, percentile(nanos, 0.50) / 1e3, percentile(nanos, 0.99) / 1e3,
                    nanos[nanos.length - 1] / 1e3, written, load.inFlight(), writesPerSecond, load.jobs(), records, load.restores(),
                    first, median(restoreMillis), restoreMillis[restoreMillis.length - 1]);
            progress.say("journal: write p50 %.0f µs, p99 %.0f µs; %,.0f writes/s pipelined; restore of %,d jobs: median %.0f ms",
                    sample.writeP50Micros(), sample.writeP99Micros(), writesPerSecond, load.jobs(), sample.medianRestoreMillis());
            return sample;
        } finally {
            kafka.drop(stage);
        }
    }

    /** One write at a time from a Vert.x context, as a job's intent is written before its POST. */
    private long[] sequential(KafkaJobJournal journal, TopicPartition partition, String prefix, int writes) throws Exception {
        long[] nanos = new long[writes];
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> next(journal, partition, prefix, nanos, 0, done));
        done.get(Math.max(60, writes / 50), TimeUnit.SECONDS);
        return nanos;
    }

    private void next(KafkaJobJournal journal, TopicPartition partition, String prefix, long[] nanos, int i,
                      CompletableFuture<Void> done) {
        if (i == nanos.length) {
            done.complete(null);
            return;
        }
        long start = System.nanoTime();
        journal.record(partition, new JournalEntry.Submitting(prefix + "-" + i, Instant.now(), 1)).onComplete(written -> {
            nanos[i] = System.nanoTime() - start;
            if (written.failed()) {
                done.completeExceptionally(written.cause());
            } else {
                next(journal, partition, prefix, nanos, i + 1, done);
            }
        });
    }

    /** Every job's entries, sent without waiting for each, with at most {@code inFlight} unacknowledged. */
    private int pipelined(KafkaJobJournal journal, TopicPartition partition, Load load) throws Exception {
        Semaphore window = new Semaphore(load.inFlight());
        List<Future<Void>> failures = new ArrayList<>();
        int written = 0;
        Instant now = Instant.now();
        for (int i = 0; i < load.jobs(); i++) {
            String jobId = "job-" + i;
            List<JournalEntry> entries = new ArrayList<>(List.of(new JournalEntry.Submitting(jobId, now, 1),
                    new JournalEntry.Accepted(jobId, now, 1, "gen_" + i + "_bench", now)));
            if (i % 10 == 0) {
                entries.add(new JournalEntry.Finished(jobId, now, JobStatus.SUCCEEDED, "gen_" + i + "_bench", Tokens.of(21), 1));
            }
            for (JournalEntry entry : entries) {
                window.acquire();
                Future<Void> sent = journal.record(partition, entry).onComplete(r -> window.release());
                sent.onFailure(e -> {
                    synchronized (failures) {
                        failures.add(sent);
                    }
                });
                written++;
            }
        }
        if (!window.tryAcquire(load.inFlight(), 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("journal writes were not acknowledged within 120 s");
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                throw new IllegalStateException(failures.size() + " journal writes failed, e.g. " + failures.get(0).cause());
            }
        }
        return written;
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
