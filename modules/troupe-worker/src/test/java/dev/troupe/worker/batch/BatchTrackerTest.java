package dev.troupe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.BatchCodec;
import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The batch tracker on the real broker: descriptors and results in, exactly one completion per batch
 * out (read_committed), whatever the order they come in, with retries replacing earlier runs, state
 * restored by a second tracker of the same application, and batches that never get a descriptor forgotten.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BatchTrackerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private static final JobCodec RESULTS = JobCodec.defaults();
    private static final BatchCodec BATCHES = new BatchCodec();

    @Test
    void everyDescribedBatchCompletesOnceWithItsLatestRunsAndOrphansAreForgotten(KafkaCluster kafka) {
        String batches = kafka.uniqueTopic("batches");
        String results = kafka.uniqueTopic("results");
        kafka.createTopic(batches, 3);
        kafka.createTopic(results, 2);
        String application = kafka.uniqueTopic("tracker");
        // Long enough that nothing described expires within the test; the orphan is checked against it.
        Duration retention = Duration.ofSeconds(20);

        List<ProducerRecord<String, String>> first = new ArrayList<>();
        // "early": every result before its descriptor.
        for (int i = 0; i < 3; i++) {
            first.add(result(results, result("early-" + i, "early", JobStatus.SUCCEEDED, 1, 21)));
        }
        first.add(descriptor(batches, "early", 3));
        // "retried": j1 fails, is retried and succeeds before j2 ends: its second run replaces its first.
        first.add(descriptor(batches, "retried", 2));
        first.add(result(results, result("retried-1", "retried", JobStatus.FAILED, 1, 0)));
        first.add(result(results, result("retried-1", "retried", JobStatus.SUCCEEDED, 2, 35)));
        first.add(result(results, result("retried-2", "retried", JobStatus.EXPIRED, 1, 0)));
        // "big": 110 of 120 fail: 100 listed, 10 counted.
        first.add(descriptor(batches, "big", 120));
        for (int i = 0; i < 120; i++) {
            first.add(result(results, result("big-" + String.format("%03d", i), "big", i < 10 ? JobStatus.SUCCEEDED : JobStatus.FAILED, 1,
                    i < 10 ? 21 : 0)));
        }
        // A producer's own jobs: no descriptor; and results of no batch at all.
        first.add(result(results, result("orphan-1", "orphan", JobStatus.SUCCEEDED, 1, 21)));
        first.add(result(results, result("loose-1", null, JobStatus.SUCCEEDED, 1, 21)));
        // "late": its results now, its descriptor only after the first tracker is gone.
        first.add(result(results, result("late-1", "late", JobStatus.SUCCEEDED, 1, 21)));
        first.add(result(results, result("late-2", "late", JobStatus.CANCELLED, 1, 0)));
        kafka.produce(first);

        try (BatchTracker tracker = tracker(kafka, application, batches, results, retention)) {
            await("completions of early, retried and big").atMost(PATIENCE)
                    .until(() -> completions(kafka, batches).keySet().containsAll(List.of("early", "retried", "big")));
            await("the late batch's results tallied").atMost(PATIENCE).until(() -> summary(tracker, "late") != null
                    && summary(tracker, "late").ended() == 2);
        }

        Map<String, List<BatchCompletion>> done = completions(kafka, batches);
        BatchCompletion early = done.get("early").get(0);
        assertThat(early.counts()).containsEntry(JobStatus.SUCCEEDED, 3);
        assertThat(early.costTokens()).isEqualTo(Tokens.of(63));
        assertThat(early.tenant()).isEqualTo("studio-a");
        BatchCompletion retried = done.get("retried").get(0);
        assertThat(retried.jobs()).isEqualTo(2);
        assertThat(retried.counts()).containsEntry(JobStatus.SUCCEEDED, 1).containsEntry(JobStatus.EXPIRED, 1).containsEntry(JobStatus.FAILED, 0);
        assertThat(retried.costTokens()).isEqualTo(Tokens.of(35));
        assertThat(retried.unsuccessful()).containsExactly(
                new BatchCompletion.Unsuccessful("retried-2", 1, JobStatus.EXPIRED, "CODE_EXPIRED", "retried-2 ended EXPIRED"));
        BatchCompletion big = done.get("big").get(0);
        assertThat(big.counts()).containsEntry(JobStatus.SUCCEEDED, 10).containsEntry(JobStatus.FAILED, 110);
        assertThat(big.unsuccessful()).hasSize(BatchCompletion.MAX_LISTED).first()
                .isEqualTo(new BatchCompletion.Unsuccessful("big-010", 1, JobStatus.FAILED, "CODE_FAILED", "big-010 ended FAILED"));
        assertThat(big.unlisted()).isEqualTo(10);

        // A second tracker of the same application restores the tally from the changelogs: "late" completes
        // from results it never read, and a result for a completed batch publishes nothing more.
        kafka.produce(List.of(descriptor(batches, "late", 2),
                result(results, result("early-0", "early", JobStatus.SUCCEEDED, 2, 21))));
        try (BatchTracker tracker = tracker(kafka, application, batches, results, retention)) {
            await("the late batch's completion, from restored state").atMost(PATIENCE)
                    .until(() -> completions(kafka, batches).containsKey("late"));
            BatchCompletion late = completions(kafka, batches).get("late").get(0);
            assertThat(late.counts()).containsEntry(JobStatus.SUCCEEDED, 1).containsEntry(JobStatus.CANCELLED, 1);
            assertThat(late.unsuccessful()).containsExactly(new BatchCompletion.Unsuccessful("late-2", 1, JobStatus.CANCELLED, null, null));

            // The orphan was never described: it is kept until the retention, then forgotten with its jobs; so is a
            // completed batch (early, whose late run-2 result published nothing).
            await("the orphan and the completed early batch forgotten after " + retention).atMost(PATIENCE.plus(retention))
                    .until(() -> tracker.state() == KafkaStreams.State.RUNNING && summary(tracker, "orphan") == null
                            && summary(tracker, "early") == null && forgotten(tracker, "orphan/orphan-1") && forgotten(tracker, "early/early-0"));
        }

        Map<String, List<BatchCompletion>> all = completions(kafka, batches);
        assertThat(all.keySet()).containsExactlyInAnyOrder("early", "retried", "big", "late");
        assertThat(all.values()).allSatisfy(each -> assertThat(each).as("one completion per batch").hasSize(1));
    }

    private static BatchTracker tracker(KafkaCluster kafka, String application, String batches, String results, Duration retention) {
        return new BatchTracker(kafka.bootstrapServers(), application, application + "-" + System.nanoTime(), batches, results, retention,
                null, Map.of()).start();
    }

    private static BatchSummary summary(BatchTracker tracker, String batchId) {
        try {
            ReadOnlyKeyValueStore<String, BatchSummary> store = tracker.streams().store(
                    StoreQueryParameters.fromNameAndType(BatchTally.SUMMARIES_STORE, QueryableStoreTypes.<String, BatchSummary>keyValueStore()));
            return store.get(batchId);
        } catch (RuntimeException notRunningYet) {
            return null;
        }
    }

    /** The job's entry is gone; false while the store cannot be queried (a rebalance). */
    private static boolean forgotten(BatchTracker tracker, String key) {
        try {
            return tracker.streams().store(StoreQueryParameters.fromNameAndType(BatchTally.JOBS_STORE,
                    QueryableStoreTypes.<String, JobEntry>keyValueStore())).get(key) == null;
        } catch (RuntimeException notRunning) {
            return false;
        }
    }

    /** Every completion on the topic (read_committed), by batch. */
    private static Map<String, List<BatchCompletion>> completions(KafkaCluster kafka, String batches) {
        List<BatchCompletion> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : kafka.readAll(batches)) {
            if (BATCHES.decode(record.value().getBytes(StandardCharsets.UTF_8)) instanceof BatchCodec.Completion completion) {
                assertThat(record.key()).isEqualTo(completion.completion().batchId());
                found.add(completion.completion());
            }
        }
        return found.stream().collect(Collectors.groupingBy(BatchCompletion::batchId));
    }

    private static ProducerRecord<String, String> descriptor(String topic, String batchId, int jobs) {
        return new ProducerRecord<>(topic, batchId, new String(BATCHES.encode(new BatchDescriptor(batchId, "studio-a", jobs,
                Tokens.of(21L * jobs), AT)), StandardCharsets.UTF_8));
    }

    private static ProducerRecord<String, String> result(String topic, JobResult result) {
        return new ProducerRecord<>(topic, result.jobId(), new String(RESULTS.encodeResult(result), StandardCharsets.UTF_8));
    }

    private static JobResult result(String jobId, String batchId, JobStatus status, int run, long tokens) {
        JobResult.Error error = status == JobStatus.SUCCEEDED || status == JobStatus.CANCELLED ? null
                : new JobResult.Error("CODE_" + status, jobId + " ended " + status, false, List.of());
        return new JobResult(jobId, batchId, batchId == null ? null : "studio-a", status, null, null, Tokens.of(tokens), 1, error,
                null, Map.of(), run, null);
    }
}
