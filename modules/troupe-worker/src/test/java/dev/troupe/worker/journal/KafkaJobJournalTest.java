package dev.troupe.worker.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobStatus;
import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.testkit.VertxBlockedThreadGuard;
import dev.troupe.worker.WorkerConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The journal on the real broker: where entries land, what a restore returns, and how it fails. */
@ExtendWith({KafkaClusterExtension.class, VertxBlockedThreadGuard.class})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaJobJournalTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);

    private KafkaCluster cluster;
    private JournalTopics topics;
    private KafkaJobJournal journal;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void topics(KafkaCluster cluster) {
        this.cluster = cluster;
        this.topics = JournalTopics.create(cluster);
        this.journal = KafkaJobJournal.create(topics.workerConfig(RETENTION), JournalCodec.defaults(), "journal-test",
                Clock.fixed(NOW, ZoneOffset.UTC));
        closing.add(journal);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private TopicPartition jobs(int partition) {
        return new TopicPartition(topics.jobs, partition);
    }

    private static <T> T acked(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static JournalRestore restored(CompletableFuture<JournalRestore> restore) throws Exception {
        return restore.get(60, TimeUnit.SECONDS);
    }

    private static MotionJob job(String jobId) {
        String json = "{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"input\":{\"prompt\":\"a robot dancing\","
                + "\"referencePhoto\":\"asset://asset_photo_01\",\"motionVideo\":\"https://cdn.example.com/salsa.mp4\"}}";
        return ((dev.troupe.model.DecodeResult.Decoded) JobCodec.defaults().decode(json.getBytes(StandardCharsets.UTF_8))).job();
    }

    /** A jobId whose key hash would put it on another partition than {@code avoided}. */
    private static String jobIdNotHashingTo(int avoided) {
        for (int i = 0; ; i++) {
            String jobId = "job-" + i;
            if (Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % JournalTopics.PARTITIONS != avoided) {
                return jobId;
            }
        }
    }

    @Test
    void anEntryOfJobsPartitionThreeLandsInStatePartitionThreeWhateverItsKeyHashesTo() throws Exception {
        String jobId = jobIdNotHashingTo(3);
        JournalEntry.Submitting entry = new JournalEntry.Submitting(jobId, NOW, 1);

        acked(journal.record(jobs(3), entry));

        List<ConsumerRecord<String, String>> written = cluster.readAll(topics.state);
        assertThat(written).hasSize(1);
        assertThat(written.get(0).partition()).isEqualTo(3);
        assertThat(written.get(0).key()).isEqualTo(jobId);
        assertThat(JournalTopics.entry(written.get(0).value())).isEqualTo(entry);
    }

    /**
     * With exactly-once results FINISHED entries are written in the results' transactions, while the
     * journal's own entries are not: a read_committed read stops at a transaction left open (a worker
     * killed in it), so a restore that stopped there would miss the entries written after it, and the
     * next owner would POST a generation Givon already has.
     */
    @Test
    void aRestoreWaitsForATransactionLeftOpenOnItsStatePartitionAndMissesNothingWrittenAfterIt() throws Exception {
        JournalCodec codec = JournalCodec.defaults();
        for (boolean commit : new boolean[] {false, true}) {
            int partition = commit ? 1 : 0;
            java.util.Properties p = new java.util.Properties();
            p.put("bootstrap.servers", cluster.bootstrapServers());
            p.put("transactional.id", "open-transaction-" + java.util.UUID.randomUUID());
            p.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
            p.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
            KafkaProducer<byte[], byte[]> results = new KafkaProducer<>(p);
            closing.add(results);
            results.initTransactions();
            results.beginTransaction();
            JournalEntry.Finished finished = new JournalEntry.Finished("job-a", NOW, JobStatus.SUCCEEDED, "gen_1_44izyv7n", Tokens.of(21), 1);
            results.send(new ProducerRecord<>(topics.state, partition, "job-a".getBytes(StandardCharsets.UTF_8), codec.encode(finished)))
                    .get(30, TimeUnit.SECONDS);
            JournalEntry.Accepted accepted = new JournalEntry.Accepted("job-b", NOW, 1, "gen_2_55izyv7n", NOW.minusSeconds(1));
            acked(journal.record(jobs(partition), accepted));

            CompletableFuture<JournalRestore> restore = journal.recover(jobs(partition));
            Thread.sleep(1_000);
            assertThat(restore).as("a restore while a transaction is open on the partition").isNotDone();
            if (commit) {
                results.commitTransaction();
            } else {
                results.abortTransaction();
            }

            JournalRestore read = restored(restore);
            assertThat(read.entries()).as("the entry written after the open transaction").containsEntry("job-b", accepted);
            if (commit) {
                assertThat(read.entries()).containsEntry("job-a", finished);
            } else {
                assertThat(read.entries()).as("an aborted outcome is no outcome").doesNotContainKey("job-a");
            }
        }
    }

    @Test
    void aRestoreReturnsTheLatestEntryOfEachJobOfItsPartitionOnly() throws Exception {
        JournalEntry.Accepted accepted = new JournalEntry.Accepted("job-a", NOW, 1, "gen_1_44izyv7n", NOW.minusSeconds(1));
        JournalEntry.Submitting second = new JournalEntry.Submitting("job-b", NOW, 2);
        JournalEntry.Parked parked = new JournalEntry.Parked("job-c", NOW, NOW.plusSeconds(3_600), job("job-c"), NOW.minusSeconds(9), Tokens.of(21));
        acked(journal.record(jobs(2), new JournalEntry.Submitting("job-a", NOW, 1)));
        acked(journal.record(jobs(2), accepted));
        acked(journal.record(jobs(2), new JournalEntry.Submitting("job-b", NOW, 1)));
        acked(journal.record(jobs(2), second));
        long parkedAt = acked(journal.park(jobs(2), parked));
        acked(journal.record(jobs(1), new JournalEntry.Submitting("job-elsewhere", NOW, 1)));

        JournalRestore restore = restored(journal.recover(jobs(2)));

        assertThat(restore.partition()).isEqualTo(jobs(2));
        assertThat(restore.entries()).isEqualTo(Map.of("job-a", accepted, "job-b", second));
        assertThat(restore.parked()).as("a parked job is restored without the job, which stays in the journal")
                .containsExactly(new JournalRestore.Parked("job-c", parkedAt, null, Tokens.of(21), NOW.plusSeconds(3_600), parked.job().batchId(),
                        NOW.minusSeconds(9)));
        assertThat(restore.recordsRead()).isEqualTo(5);
        assertThat(restore.unreadable()).isZero();
        assertThat(restored(journal.recover(jobs(0))).entries()).isEmpty();
    }

    @Test
    void parkedJobsAreReadBackByTheirOffsetsAcrossGapsAndAnOffsetWithoutAnEntryIsAbsent() throws Exception {
        List<Future<Long>> written = new java.util.ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            written.add(journal.park(jobs(5), new JournalEntry.Parked("job-" + i, NOW, NOW, job("job-" + i), NOW, Tokens.of(21))));
        }
        List<Long> offsets = new java.util.ArrayList<>();
        for (int i : new int[] {0, 400, 401, 800, 1_199}) {
            offsets.add(acked(written.get(i)));
        }
        for (Future<Long> write : written) {
            acked(write);
        }

        // The first, across gaps wider than a read goes through, and one past the end of the log.
        Map<Long, JournalEntry> read = acked(journal.readBack(jobs(5), List.of(offsets.get(0), offsets.get(1), offsets.get(2),
                offsets.get(3), offsets.get(4), 1_000_000L)));

        assertThat(read).containsOnlyKeys(offsets);
        assertThat(read.get(offsets.get(2))).isInstanceOfSatisfying(JournalEntry.Parked.class, p -> {
            assertThat(p.jobId()).isEqualTo("job-401");
            assertThat(p.job()).isEqualTo(job("job-401"));
        });
        assertThat(read.get(offsets.get(4)).jobId()).isEqualTo("job-1199");
    }

    @Test
    void aForgottenJobIsNotRestored() throws Exception {
        acked(journal.record(jobs(4), new JournalEntry.Accepted("job-a", NOW, 1, "gen-a", null)));
        acked(journal.record(jobs(4), new JournalEntry.Accepted("job-b", NOW, 1, "gen-b", null)));
        acked(journal.forget(jobs(4), "job-a"));

        JournalRestore restore = restored(journal.recover(jobs(4)));

        assertThat(restore.entries()).containsOnlyKeys("job-b");
        assertThat(restore.recordsRead()).isEqualTo(3);
        List<ConsumerRecord<String, String>> written = cluster.readAll(topics.state);
        assertThat(written.get(2).key()).isEqualTo("job-a");
        assertThat(written.get(2).value()).isNull();
    }

    @Test
    void anUnreadableRecordIsCountedAndSkipped() throws Exception {
        JournalEntry.Submitting before = new JournalEntry.Submitting("job-a", NOW, 1);
        JournalEntry.Submitting after = new JournalEntry.Submitting("job-b", NOW, 1);
        acked(journal.record(jobs(0), before));
        String otherJob = new String(JournalCodec.defaults().encode(new JournalEntry.Submitting("job-c", NOW, 1)), StandardCharsets.UTF_8);
        cluster.produce(List.of(
                new ProducerRecord<>(topics.state, 0, "job-x", "not json"),
                new ProducerRecord<>(topics.state, 0, "job-y", "{\"schema\":\"troupe.journal/v1\",\"kind\":\"PAUSED\"}"),
                new ProducerRecord<>(topics.state, 0, "job-z", otherJob)));
        acked(journal.record(jobs(0), after));

        JournalRestore restore = restored(journal.recover(jobs(0)));

        assertThat(restore.entries()).isEqualTo(Map.of("job-a", before, "job-b", after));
        assertThat(restore.recordsRead()).isEqualTo(5);
        assertThat(restore.unreadable()).isEqualTo(3);
    }

    @Test
    void aFinishedJobOlderThanTheRetentionIsDroppedAndTombstoned() throws Exception {
        JournalEntry.Finished old = new JournalEntry.Finished("job-old", NOW.minus(RETENTION).minusSeconds(1), JobStatus.SUCCEEDED,
                "gen-1", Tokens.of(21), 1);
        JournalEntry.Finished recent = new JournalEntry.Finished("job-recent", NOW.minus(RETENTION).plusSeconds(1),
                JobStatus.FAILED, "gen-2", Tokens.ZERO, 2);
        JournalEntry.Accepted longRunning = new JournalEntry.Accepted("job-long", NOW.minus(Duration.ofDays(30)), 1, "gen-3", null);
        for (JournalEntry entry : List.of(old, recent, longRunning)) {
            acked(journal.record(jobs(5), entry));
        }

        JournalRestore restore = restored(journal.recover(jobs(5)));

        assertThat(restore.entries()).isEqualTo(Map.of("job-recent", recent, "job-long", longRunning));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.readAll(topics.state))
                .extracting(ConsumerRecord::key, ConsumerRecord::value)
                .hasSize(4).last().isEqualTo(org.assertj.core.groups.Tuple.tuple("job-old", null)));
        assertThat(cluster.readAll(topics.state).get(3).partition()).isEqualTo(5);
        JournalRestore again = restored(journal.recover(jobs(5)));
        assertThat(again.entries()).isEqualTo(restore.entries());
        assertThat(again.recordsRead()).isEqualTo(4);
    }

    @Test
    void aRestoreRunsOnAJournalThreadNeverTheCallers() throws Exception {
        WorkerConfig config = topics.workerConfig(RETENTION);
        AtomicReference<Thread> restoreThread = new AtomicReference<>();
        KafkaJobJournal watched = new KafkaJobJournal(new KafkaProducer<>(JournalClients.producer(config, "watched")), () -> {
            restoreThread.set(Thread.currentThread());
            return new KafkaConsumer<>(JournalClients.restoreConsumer(config, "watched"));
        }, JournalCodec.defaults(), JournalSettings.of(config), Clock.fixed(NOW, ZoneOffset.UTC));
        closing.add(watched);
        acked(watched.record(jobs(1), new JournalEntry.Submitting("job-a", NOW, 1)));

        JournalRestore restore = restored(watched.recover(jobs(1)));

        assertThat(restore.entries()).containsOnlyKeys("job-a");
        assertThat(restoreThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(restoreThread.get().getName()).startsWith("troupe-journal-restore-");
        assertThat(restoreThread.get().isDaemon()).isTrue();
    }

    @Test
    void aWriteCompletesOnTheVertxContextThatMadeIt(Vertx vertx) throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Context> completedOn = new CompletableFuture<>();

        context.runOnContext(v -> journal.record(jobs(0), new JournalEntry.Submitting("job-a", NOW, 1))
                .onComplete(done -> completedOn.complete(done.succeeded() ? Vertx.currentContext() : null)));

        assertThat(completedOn.get(30, TimeUnit.SECONDS)).isSameAs(context);
        CompletableFuture<Context> forgotOn = new CompletableFuture<>();
        context.runOnContext(v -> journal.forget(jobs(0), "job-a")
                .onComplete(done -> forgotOn.complete(done.succeeded() ? Vertx.currentContext() : null)));
        assertThat(forgotOn.get(30, TimeUnit.SECONDS)).isSameAs(context);
    }

    @Test
    void aWriteToAPartitionTheStateTopicDoesNotHaveFailsNamingIt() {
        Future<Void> written = journal.record(jobs(JournalTopics.PARTITIONS), new JournalEntry.Submitting("job-a", NOW, 1));

        assertThat(written.toCompletionStage().toCompletableFuture())
                .failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("journal write of SUBMITTING of job job-a to " + topics.state + "-6 failed");
    }

    @Test
    void anEntryThatBreaksARuleFailsItsWrite() {
        Future<Void> written = journal.record(jobs(0), new JournalEntry.Submitting("job-a", NOW, 0));

        assertThat(written.toCompletionStage().toCompletableFuture())
                .failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("attempt must be between 1 and 1000, got 0");
    }

    @Test
    void afterCloseWritesAndRestoresFailWithAClearMessage() throws Exception {
        acked(journal.record(jobs(0), new JournalEntry.Submitting("job-a", NOW, 1)));
        journal.close();

        assertThat(journal.record(jobs(0), new JournalEntry.Submitting("job-b", NOW, 1)).cause())
                .hasMessage("the journal on " + topics.state + " is closed: SUBMITTING of job job-b was not written to "
                        + topics.state + "-0");
        assertThat(journal.forget(jobs(0), "job-a").cause()).hasMessageContaining("is closed");
        assertThat(journal.recover(jobs(0))).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("the journal on " + topics.state + " is closed: the restore of " + topics.state + "-0");
        journal.close(); // idempotent
    }

    @Test
    void writesMadeBeforeCloseAreFlushedByIt() throws Exception {
        List<Future<Void>> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            written.add(journal.record(jobs(i % JournalTopics.PARTITIONS), new JournalEntry.Submitting("job-" + i, NOW, 1)));
        }

        journal.close();

        assertThat(written).allSatisfy(f -> assertThat(f.toCompletionStage().toCompletableFuture())
                .succeedsWithin(Duration.ofSeconds(5)));
        assertThat(cluster.readAll(topics.state)).hasSize(200);
    }

    @Test
    void aRestoreThatCannotReachKafkaFailsNamingTheStatePartition() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        WorkerConfig nowhere = WorkerConfig.builder("127.0.0.1:" + closedPort, topics.workerConfig(RETENTION).givon())
                .topics(topics.workerConfig(RETENTION).topics()).build();
        KafkaJobJournal unreachable = new KafkaJobJournal(new KafkaProducer<>(JournalClients.producer(nowhere, "nowhere")),
                () -> new KafkaConsumer<>(JournalClients.restoreConsumer(nowhere, "nowhere")), JournalCodec.defaults(),
                new JournalSettings(topics.state, RETENTION, Duration.ofSeconds(3), Duration.ofSeconds(1), 1),
                Clock.fixed(NOW, ZoneOffset.UTC));
        closing.add(unreachable);

        CompletableFuture<JournalRestore> restore = unreachable.recover(jobs(2));

        assertThat(restore).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("reading the journal " + topics.state + "-2 made no progress for PT3S");
        assertThat(restore.isCompletedExceptionally()).isTrue();
        assertThat(catchCompletion(restore)).isInstanceOf(IllegalStateException.class);
    }

    private static Throwable catchCompletion(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void theDisabledJournalWritesNothingAndRestoresNothing() throws Exception {
        JobJournal disabled = JobJournal.disabled();

        assertThat(disabled.record(jobs(0), new JournalEntry.Submitting("job-a", NOW, 1)).succeeded()).isTrue();
        assertThat(disabled.forget(jobs(0), "job-a").succeeded()).isTrue();
        assertThat(disabled.recover(jobs(0)).get(1, TimeUnit.SECONDS)).isEqualTo(JournalRestore.empty(jobs(0)));
        disabled.close();
        assertThat(cluster.readAll(topics.state)).isEmpty();
    }
}
