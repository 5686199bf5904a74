package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.testkit.JvmKafkaCluster;
import dev.troupe.worker.HostileRecord.Outcome;
import dev.troupe.worker.HostileRecord.Stamped;
import dev.troupe.worker.OneOutcomePerRecord.Sent;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Hostile records ({@link HostileRecords}) through the whole path on the real broker, from the
 * consumer's {@code deliver} to publication: each record ends as exactly one result or one dead
 * letter, the worker keeps consuming every partition after them, and the group's offsets reach the
 * log end. One world (topics, simulator, one worker) serves every try, as one worker serves a
 * stream of records; the records of all tries so far are checked after each.
 *
 * <p>Shrinking is off: a try runs through Kafka and takes seconds, so shrinking a batch of 40 would take
 * many minutes, and the failure report already names every record that broke the guarantee and how.
 */
class HostileRecordFlowPropertiesTest {

    private static final Duration ACCOUNTED_WITHIN = Duration.ofSeconds(60);
    private static final Duration COMMITTED_WITHIN = Duration.ofSeconds(30);

    private final String prefix = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
    private int records;
    private int tries;
    private Vertx vertx;
    private WorkerTestBed bed;
    private Worker worker;
    private TopicReader results;
    private TopicReader deadLetters;
    private OneOutcomePerRecord outcomes;

    @BeforeProperty
    void startTheWorld() throws Exception {
        vertx = Vertx.vertx();
        bed = new WorkerTestBed(JvmKafkaCluster.get(), vertx, sim -> { });
        // A short shutdown grace: a result stuck in publishing must not hold the teardown of a failed property for long.
        worker = bed.startWorker(bed.workerConfig().maxConcurrency(32).shutdownGrace(Duration.ofSeconds(5)).ops("127.0.0.1", 0).build());
        results = bed.results();
        deadLetters = bed.deadLetters();
        outcomes = new OneOutcomePerRecord(bed.jobsTopic);
    }

    @AfterProperty
    void stopTheWorld() throws Exception {
        try {
            for (AutoCloseable open : new AutoCloseable[] {results, deadLetters, bed}) {
                if (open != null) {
                    open.close();
                }
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void everyRecordEndsAsOneResultOrOneDeadLetterAndTheWorkerKeepsConsuming(@ForAll("batches") List<HostileRecord> batch)
            throws Exception {
        tries++;
        send(batch.stream().map(r -> r.stamp(prefix + "-" + tries + "-" + records++)).toList(), false);
        // After the hostile records are in: a valid job on every partition must still be run.
        List<Stamped> sentinels = new ArrayList<>();
        for (int p = 0; p < WorkerTestBed.PARTITIONS; p++) {
            sentinels.add(new HostileRecord(HostileRecord.Value.json("sentinel on partition " + p, Outcome.SUCCEEDED, JobText::job),
                    HostileRecord.Key.JOB_ID, List.of()).stamp(prefix + "-" + tries + "-sentinel-" + p));
        }
        send(sentinels, true);

        try {
            await().atMost(ACCOUNTED_WITHIN).pollInterval(Duration.ofMillis(500))
                    .until(() -> outcomes.unaccounted(results.poll(), deadLetters.poll()).isEmpty());
        } catch (ConditionTimeoutException e) {
            // Reported below with everything else that is wrong, record by record.
        }
        assertThat(outcomes.problems(results.poll(), deadLetters.poll())).isEmpty();
        try {
            await().atMost(COMMITTED_WITHIN).until(bed::committedAtLogEnd);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("committed offsets did not reach the log end within " + COMMITTED_WITHIN + ": "
                    + describe(bed.committedVersusEnd()), e);
        }
        assertThat(live()).as("/health/live answers 200").isEqualTo(200);
    }

    @Provide
    Arbitrary<List<HostileRecord>> batches() {
        return HostileRecords.records().list().ofMinSize(20).ofMaxSize(40);
    }

    /** Sends the records (record i on partition i when {@code onePerPartition}) and waits until all are acknowledged. */
    private void send(List<Stamped> stamped, boolean onePerPartition) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < stamped.size(); i++) {
            Stamped s = stamped.get(i);
            acks.add(bed.send(new ProducerRecord<>(bed.jobsTopic, onePerPartition ? Integer.valueOf(i) : null, s.key(), s.value(),
                    new RecordHeaders(s.headers()))));
        }
        for (int i = 0; i < stamped.size(); i++) {
            RecordMetadata landed = acks.get(i).get(30, TimeUnit.SECONDS);
            outcomes.expect(new Sent(stamped.get(i), landed.partition(), landed.offset()));
        }
    }

    private int live() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.opsPort() + "/health/live"))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String describe(Map<TopicPartition, long[]> committedVersusEnd) {
        return committedVersusEnd.entrySet().stream()
                .map(e -> e.getKey().partition() + ": committed " + e.getValue()[0] + " of " + e.getValue()[1])
                .sorted().collect(Collectors.joining(", "));
    }
}
