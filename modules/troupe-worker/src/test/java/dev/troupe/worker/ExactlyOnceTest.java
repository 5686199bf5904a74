package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Results, dead letters and offsets in one transaction (results.delivery: exactly-once), and the at-least-once setting. */
class ExactlyOnceTest extends WorkerTestSupport {

    /** The topic takes records of 4 KB at most: its big results are cut before they are sent, and no transaction aborts. */
    @Test
    void aResultOverItsTopicsLimitIsCutBeforeItIsSent() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            String results = bed.createTopic("small-results", 3, Map.of("max.message.bytes", "4096"));
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(16)
                    .topics(new WorkerConfig.Topics(bed.jobsTopic, results, bed.deadLetterTopic, bed.stateTopic, bed.budgetTopic)).build());
            int jobs = produceEveryThirdBig(bed);

            try (TopicReader committed = new TopicReader(bed.bootstrapServers, results);
                 TopicReader everything = new TopicReader(bed.bootstrapServers, results, false)) {
                assertOnceEachEveryThirdCut(bed, committed, jobs);
                assertThat(everything.results()).as("nothing aborted").hasSize(jobs);
            }
            assertThat(worker.registry().get("troupe.results.transactions.aborted").counter().count()).isZero();
        }
    }

    /**
     * The topic's limit drops under the running worker, below its big results: each aborts the
     * transaction it is in, which is sent again with it cut. A read_committed reader sees every job
     * once, the small ones whole. (Whether a read_uncommitted reader sees aborted copies depends on
     * how the transaction's records were batched: the broker refuses a refused record's whole batch,
     * so a transaction whose records all shared it leaves nothing in the log.)
     */
    @Test
    void aResultTheBrokerRefusesAbortsItsTransactionAndNoCommittedReaderSeesTheAbortedCopies() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            String results = bed.createTopic("shrinking-results", 3, Map.of());
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(16)
                    .topics(new WorkerConfig.Topics(bed.jobsTopic, results, bed.deadLetterTopic, bed.stateTopic, bed.budgetTopic)).build());
            bed.alterTopic(results, "max.message.bytes", "4096");
            int jobs = produceEveryThirdBig(bed);

            try (TopicReader committed = new TopicReader(bed.bootstrapServers, results)) {
                assertOnceEachEveryThirdCut(bed, committed, jobs);
            }
            assertThat(worker.registry().get("troupe.results.transactions.aborted").counter().count()).isPositive();
            assertThat(worker.registry().get("troupe.results.outcomes.committed").counter().count()).isEqualTo(jobs);
        }
    }

    /** 60 jobs; every third has three metadata notes of 2,000 chars (a value's limit is 2,048): a result of about 6.5 KB. */
    private static int produceEveryThirdBig(WorkerTestBed bed) {
        int jobs = 60;
        for (int i = 0; i < jobs; i++) {
            String jobId = "eos-" + i;
            String job = new String(Jobs.valid(jobId, null), StandardCharsets.UTF_8);
            if (i % 3 == 0) {
                job = job.replace("\"metadata\":{\"character\":\"c1\"}", "\"metadata\":{\"character\":\"c1\""
                        + ",\"note-1\":\"" + "n".repeat(2_000) + "\",\"note-2\":\"" + "n".repeat(2_000)
                        + "\",\"note-3\":\"" + "n".repeat(2_000) + "\"}");
            }
            bed.produce(jobId, Jobs.json(job));
        }
        bed.flush();
        return jobs;
    }

    private static void assertOnceEachEveryThirdCut(WorkerTestBed bed, TopicReader committed, int jobs) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> committed.results().size() >= jobs);
        await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
        Map<String, JobResult> byJob = TopicReader.byJobId(committed.results());
        assertThat(byJob).hasSize(jobs);
        assertThat(byJob.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
        for (int i = 0; i < jobs; i++) {
            JobResult result = byJob.get("eos-" + i);
            if (i % 3 == 0) {
                assertThat(result.metadata()).as("cut to fit: %s", result).isEmpty();
            } else {
                assertThat(result.metadata()).as("whole: %s", result).containsEntry("character", "c1");
            }
        }
    }

    @Test
    void atLeastOnceDeliveryPublishesEveryResultWithoutTransactionsAndCommitsToTheEnd() throws Exception {
        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker worker = bed.startWorker(bed.workerConfig().maxConcurrency(32)
                    .results(new WorkerConfig.Results(WorkerConfig.Delivery.AT_LEAST_ONCE, Duration.ofMillis(100), 1_000,
                            Duration.ofSeconds(10))).build());
            int jobs = 300;
            for (int i = 0; i < jobs; i++) {
                bed.produce("alo-" + i, Jobs.valid("alo-" + i, null));
            }
            bed.produce(null, "not json".getBytes(StandardCharsets.UTF_8));
            bed.flush();

            try (TopicReader results = bed.results(); TopicReader everything = new TopicReader(bed.bootstrapServers, bed.resultsTopic, false);
                 TopicReader deadLetters = bed.deadLetters()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> results.results().size() >= jobs);
                await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.poll().size() >= 1);
                await().atMost(Duration.ofSeconds(30)).until(bed::committedAtLogEnd);
                assertThat(TopicReader.byJobId(results.results())).hasSize(jobs);
                // A fresh reader's first short poll may come back empty: read until the results are there, then count.
                await().atMost(Duration.ofSeconds(30)).until(() -> everything.results().size() >= jobs);
                assertThat(everything.results()).as("nothing aborted: no transactions").hasSize(jobs);
            }
            assertThat(worker.registry().get("troupe.results.transactions").timer().count()).isZero();
        }
    }
}
