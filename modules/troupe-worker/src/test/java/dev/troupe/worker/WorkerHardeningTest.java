package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetPolicy;
import dev.troupe.worker.budget.BudgetRule;
import dev.troupe.worker.budget.ExhaustionPolicy;
import dev.troupe.worker.results.ResultRecords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Hostile records and sizes on the real broker: no record stops the worker, nothing is retried for ever (issue 9). */
class WorkerHardeningTest extends WorkerTestSupport {

    @Test
    void aRecordNestedAThousandLevelsDeepIsDeadLetteredAndTheWorkerGoesOn() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(4).build());
            bed.produce(null, Jobs.json("{\"a\":".repeat(1_000) + "1" + "}".repeat(1_000)));
            bed.produce(null, Jobs.json("[".repeat(1_000) + "]".repeat(1_000)));
            bed.produce("after-deep", Jobs.valid("after-deep", null));
            bed.flush();

            try (TopicReader results = bed.results(); TopicReader deadLetters = bed.deadLetters()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 1 && deadLetters.poll().size() >= 2);
                assertThat(results.results()).extracting(JobResult::jobId).containsExactly("after-deep");
                assertThat(deadLetters.poll()).allSatisfy(letter -> {
                    assertThat(header(letter, ResultRecords.HEADER_ERROR_CODE)).isEqualTo("UNREADABLE_RECORD");
                    assertThat(header(letter, ResultRecords.HEADER_ERROR_MESSAGE)).contains("nesting at most 32 levels");
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
            assertThat(worker.ready()).isTrue();
        }
    }

    @Test
    void aDeadLetterThatWouldNotFitKeepsTheCoordinatesADigestAndAPrefix() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4).build());
            // Just under the producer's 1 MiB: the copy plus the error headers is over it.
            byte[] huge = new byte[1_047_000];
            Arrays.fill(huge, (byte) 'x');
            bed.produce(null, huge);
            bed.produce("after-huge", Jobs.valid("after-huge", null));
            bed.flush();

            try (TopicReader results = bed.results(); TopicReader deadLetters = bed.deadLetters()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> results.results().size() >= 1 && deadLetters.poll().size() >= 1);
                ConsumerRecord<byte[], byte[]> letter = deadLetters.poll().get(0);
                assertThat(header(letter, ResultRecords.HEADER_TRUNCATED)).isEqualTo("prefix");
                assertThat(letter.value()).hasSize(64 * 1024);
                assertThat(header(letter, ResultRecords.HEADER_SOURCE_BYTES)).isEqualTo("1047000");
                assertThat(header(letter, ResultRecords.HEADER_SOURCE_SHA256))
                        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(huge)));
                assertThat(header(letter, ResultRecords.HEADER_SOURCE_TOPIC)).isEqualTo(bed.jobsTopic);
                assertThat(header(letter, ResultRecords.HEADER_SOURCE_OFFSET)).isNotBlank();
                assertThat(header(letter, ResultRecords.HEADER_ERROR_MESSAGE)).hasSizeLessThan(1_100);
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }

    @Test
    void aJobWithTenThousandUnknownInputFieldsGetsABoundedRejection() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4).build());
            StringBuilder extra = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                extra.append(",\"unknown-field-").append(i).append("\":").append(i);
            }
            String job = new String(Jobs.valid("many-fields", null), StandardCharsets.UTF_8)
                    .replace("\"duration\":3", "\"duration\":3" + extra);
            bed.produce("many-fields", Jobs.json(job));
            bed.flush();

            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 1);
                JobResult rejected = results.results().get(0);
                assertThat(rejected.status()).isEqualTo(JobStatus.REJECTED);
                assertThat(rejected.error().violations()).hasSize(6);
                assertThat(rejected.error().message()).contains("9995 more unknown input field(s)").hasSizeLessThan(2_100);
                assertThat(results.poll().get(0).value().length).isLessThan(10_000);
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }

    @Test
    void aResultTooLargeForTheProducerIsPublishedCutInsteadOfRetriedForEver() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(4).kafkaProperty("max.request.size", "16384").build());
            StringBuilder metadata = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                metadata.append(i == 0 ? "" : ",").append("\"note-").append(i).append("\":\"").append("m".repeat(2_000)).append('"');
            }
            String job = new String(Jobs.valid("big-metadata", null), StandardCharsets.UTF_8)
                    .replace("\"metadata\":{\"character\":\"c1\"}", "\"metadata\":{" + metadata + "}");
            bed.produce("big-metadata", Jobs.json(job));
            bed.produce("small", Jobs.valid("small", null));
            bed.flush();

            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().size() >= 2);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob.get("big-metadata").status()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(byJob.get("big-metadata").metadata()).isEmpty();
                assertThat(byJob.get("big-metadata").costTokens()).isEqualTo(Tokens.of(21));
                assertThat(byJob.get("small").metadata()).containsEntry("character", "c1");
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }

    @Test
    void aTenantsParkedBacklogDoesNotStopTheOtherTenants() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            BudgetRule oneJob = new BudgetRule(Tokens.of(21), Duration.ofDays(1), ExhaustionPolicy.WAIT);
            BudgetRule plenty = new BudgetRule(Tokens.of(1_000_000), Duration.ofDays(1), ExhaustionPolicy.WAIT);
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(4).maxUnfinishedRecords(4)
                    .budget(new BudgetPolicy(Map.of("spent", oneJob), plenty)).build());
            for (int i = 0; i < 13; i++) {
                bed.produce("spent-" + i, Jobs.valid("spent-" + i, "spent"));
            }
            bed.flush();
            // Twelve parked jobs: three times the worker's whole unfinished-record allowance.
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.parkedJobs() == 12);

            for (int i = 0; i < 10; i++) {
                bed.produce("flowing-" + i, Jobs.valid("flowing-" + i, "other"));
            }
            bed.flush();
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> results.results().stream()
                        .filter(r -> "other".equals(r.tenant())).count() == 10);
                assertThat(results.results().stream().filter(r -> "spent".equals(r.tenant()))).hasSize(1);
            }
            assertThat(worker.parkedJobs()).isEqualTo(12);
            
        }
    }

    @Test
    void aJobStillAtGivonWhenItsPartitionComesBackIsNotCommittedPast() throws Exception {
        ManualSimClock clock = SimClock.manual();
        try (WorkerTestBed bed = bed(sim -> sim.fixedGenerationTime(Duration.ofMinutes(1)), clock)) {
            // A grace that runs out while every generation still runs (the simulator's time stands still).
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(32).revocationGrace(Duration.ofSeconds(1)).build());
            int jobs = 24;
            for (int i = 0; i < jobs; i++) {
                bed.produce("held-" + i, Jobs.valid("held-" + i, null));
            }
            bed.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.simulator.ledger().snapshot().generationsCreated() == jobs);

            // Another member takes some partitions and gives them back: they return to the worker, whose
            // jobs there are still at Givon, and their records are delivered to it again.
            Set<TopicPartition> moved;
            try (KafkaConsumer<byte[], byte[]> intruder = bed.groupMember()) {
                intruder.subscribe(List.of(bed.jobsTopic));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    intruder.poll(Duration.ofMillis(100));
                    return !intruder.assignment().isEmpty();
                });
                moved = Set.copyOf(intruder.assignment());
            }
            long redelivered = bed.placed.values().stream().filter(at -> moved.contains(at.partition())).count();
            assertThat(redelivered).as("jobs on the partitions that moved").isPositive();
            // The journal names their generations: they are taken over (followed), not submitted again.
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    worker.registry().counter("troupe.journal.taken.over").count() >= redelivered);

            // No job has a result yet, so no commit may pass any of them.
            Map<TopicPartition, long[]> committed = bed.committedVersusEnd();
            for (WorkerTestBed.TopicPartitionOffset at : bed.placed.values()) {
                assertThat(committed.get(at.partition())[0]).as("committed offset of %s, holding a job at Givon", at.partition())
                        .isLessThanOrEqualTo(at.offset());
            }

            clock.advance(Duration.ofMinutes(2));
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> results.results().size() >= jobs);
                assertThat(TopicReader.byJobId(results.results())).hasSize(jobs);
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
            assertThat(bed.simulator.ledger().snapshot().maxGenerationsForOneKey()).isEqualTo(1);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
