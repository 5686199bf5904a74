package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The worker end to end on the real broker and the simulator: throughput path, bad input, 429s, groups. */
class WorkerFlowTest extends WorkerTestSupport {

    @Test
    void twoThousandJobsOverSixPartitionsEachGetExactlyOneResultAndOffsetsEndAtTheLogEnd() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(64).build());
            int jobs = 2_000;
            for (int i = 0; i < jobs; i++) {
                bed.produce("job-" + i, Jobs.valid("job-" + i, "studio-a"));
            }
            bed.flush();

            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> results.results().size() >= jobs);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob).hasSize(jobs);
                assertThat(byJob.values()).allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(r.videoUrl()).startsWith("http://127.0.0.1:");
                    assertThat(r.costTokens()).isEqualTo(Tokens.of(21));
                    assertThat(r.metadata()).containsEntry("character", "c1");
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(jobs);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
            assertThat(ledger.peakConcurrentGenerations()).isLessThanOrEqualTo(64);
        }
    }

    @Test
    void poisonRecordsGetPreciseRejectionsOrDeadLettersAndValidJobsStillComplete() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            bed.startWorker(bed.workerConfig().maxConcurrency(16).build());
            byte[] randomBytes = new byte[64];
            new Random(7).nextBytes(randomBytes);
            String longPrompt = "x".repeat(3_000);
            int valid = 0;
            for (int i = 0; i < 20; i++) {
                bed.produce("ok-" + i, Jobs.valid("ok-" + i, null));
                valid++;
                switch (i) {
                    case 2 -> bed.produce(null, randomBytes);
                    case 5 -> bed.produce(null, Jobs.json("[1,2,3]"));
                    case 8 -> bed.produce("bad-duration", Jobs.json(new String(Jobs.valid("bad-duration", null), StandardCharsets.UTF_8)
                            .replace("\"duration\":3", "\"duration\":3.5")));
                    case 11 -> bed.produce("no-photo", Jobs.json(new String(Jobs.valid("no-photo", null), StandardCharsets.UTF_8)
                            .replace("\"referencePhoto\":\"https://assets.example.com/characters/c1.png\",", "")));
                    case 14 -> bed.produce("long-prompt", Jobs.json(new String(Jobs.valid("long-prompt", null), StandardCharsets.UTF_8)
                            .replace("a character dancing the choreography", longPrompt)));
                    default -> { }
                }
            }
            bed.flush();
            int expectedResults = valid + 3;

            try (TopicReader results = bed.results(); TopicReader deadLetters = bed.deadLetters()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> results.results().size() >= expectedResults
                        && deadLetters.poll().size() >= 2);
                Map<String, JobResult> byJob = TopicReader.byJobId(results.results());
                assertThat(byJob).hasSize(expectedResults);
                assertThat(byJob.values().stream().filter(r -> r.jobId().startsWith("ok-")))
                        .hasSize(valid).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
                assertRejected(byJob.get("bad-duration"), "input.duration");
                assertRejected(byJob.get("no-photo"), "input.referencePhoto");
                assertRejected(byJob.get("long-prompt"), "input.prompt");
                assertThat(byJob.get("long-prompt").error().violations().get(0).message()).contains("2500");

                List<ConsumerRecord<byte[], byte[]>> dlq = deadLetters.poll();
                assertThat(dlq).hasSize(2);
                assertThat(dlq.get(0).value()).isEqualTo(randomBytes);
                assertThat(header(dlq.get(0), "troupe.error.code")).isEqualTo("UNREADABLE_RECORD");
                assertThat(header(dlq.get(0), "troupe.source.topic")).isEqualTo(bed.jobsTopic);
                assertThat(header(dlq.get(0), "troupe.source.offset")).matches("\\d+");
                assertThat(header(dlq.get(1), "troupe.error.message")).containsIgnoringCase("array");
            }
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        }
    }

    private static void assertRejected(JobResult result, String path) {
        assertThat(result.status()).isEqualTo(JobStatus.REJECTED);
        assertThat(result.error().code()).isEqualTo("INVALID_JOB");
        assertThat(result.error().violations()).extracting(v -> v.path()).containsExactly(path);
        assertThat(result.error().message()).contains(path);
        assertThat(result.attempts()).isZero();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aRateLimitStormLowersTheLimitWhichRecoversAndNothingIsLost() throws Exception {
        try (WorkerTestBed bed = bed(sim -> sim.concurrencyCapPerKey(8).retryAfter(Duration.ofMillis(200)))) {
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(64).build());
            int jobs = 300;
            for (int i = 0; i < jobs; i++) {
                bed.produce("storm-" + i, Jobs.valid("storm-" + i, null));
            }
            bed.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.limiter().limit() < 64);

            bed.simulator.reconfigure(faults -> faults.concurrencyCapPerKey(0));
            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> results.results().size() >= jobs);
                assertThat(TopicReader.byJobId(results.results()).values())
                        .hasSize(jobs).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
            }
            // Recovery needs successes after the storm: keep feeding until the limit is back at its cap.
            for (int i = 0; i < 400; i++) {
                bed.produce("calm-" + i, Jobs.valid("calm-" + i, null));
            }
            bed.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> worker.limiter().limit() == 64);
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.responses(429)).isPositive();
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
        }
    }

    @Test
    void twoWorkersInOneGroupProcessEveryJobOnce() throws Exception {
        // 200 ms generations (200 s compressed 1,000 times): about 7 s of work for one worker at C = 32, so
        // the second one joins while most of it is still to do.
        try (WorkerTestBed bed = bed(sim -> sim.fixedGenerationTime(Duration.ofSeconds(200)))) {
            Worker first = bed.startWorker(bed.workerConfig().maxConcurrency(32).build());
            int jobs = 1_200;
            for (int i = 0; i < jobs / 2; i++) {
                bed.produce("pair-" + i, Jobs.valid("pair-" + i, null));
            }
            bed.flush();
            // The second worker joins mid-stream: partitions move while jobs are in flight.
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.simulator.ledger().snapshot().generationsCreated() > 50);
            Worker second = bed.startWorker(bed.workerConfig().maxConcurrency(32).build());
            for (int i = jobs / 2; i < jobs; i++) {
                bed.produce("pair-" + i, Jobs.valid("pair-" + i, null));
            }
            bed.flush();

            try (TopicReader results = bed.results()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> results.results().size() >= jobs);
                assertThat(TopicReader.byJobId(results.results())).hasSize(jobs);
            }
            // The group really shared the work: partitions moved to the second worker.
            assertThat(jobsFinished(first)).isPositive();
            assertThat(jobsFinished(second)).isPositive();
            assertThat(jobsFinished(first) + jobsFinished(second)).isEqualTo(jobs);
            await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
            LedgerSnapshot ledger = bed.simulator.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(jobs);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
        }
    }

    private static double jobsFinished(Worker worker) {
        return worker.registry().find("troupe.jobs").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
