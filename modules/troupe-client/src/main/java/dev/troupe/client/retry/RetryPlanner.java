package dev.troupe.client.retry;

import dev.troupe.client.KafkaConnection;
import dev.troupe.client.results.TopicScan;
import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Plans {@code troupe retry}: reads the results topic for the latest run of each job of a batch (or of
 * the jobs named), keeps those whose latest run ended in one of the statuses asked for, and finds
 * each one's record on the jobs topic to send it again as the next run. Reads only; sends nothing.
 */
public final class RetryPlanner {

    /** Which jobs: those of {@code batchId} (null: any batch), narrowed to {@code jobIds} when not empty. */
    public record Selection(String batchId, Set<String> jobIds, Set<JobStatus> statuses) {
        public Selection {
            jobIds = Set.copyOf(jobIds);
            statuses = Set.copyOf(statuses);
            if (batchId == null && jobIds.isEmpty()) {
                throw new IllegalArgumentException("a retry needs a batch or at least one job");
            }
        }

        boolean covers(String batch, String jobId) {
            return (batchId == null || batchId.equals(batch)) && (jobIds.isEmpty() || jobIds.contains(jobId));
        }
    }

    private final KafkaConnection kafka;
    private final JobCodec codec;
    private final ModelCatalog catalog;

    public RetryPlanner(KafkaConnection kafka, JobCodec codec, ModelCatalog catalog) {
        this.kafka = kafka;
        this.codec = codec;
        this.catalog = catalog;
    }

    public RetryPlan plan(String resultsTopic, String jobsTopic, Selection selection) {
        Map<String, JobResult> latest = new LinkedHashMap<>();
        int[] results = {0};
        TopicScan.readToEnd(kafka, resultsTopic, "troupe-retry-results", record -> {
            JobResult result = result(record.value());
            if (result != null && selection.covers(result.batchId(), result.jobId())) {
                results[0]++;
                latest.merge(result.jobId(), result, JobResult::outcomeOf);
            }
        });
        List<RetryPlan.Left> left = new ArrayList<>();
        Map<String, JobResult> chosen = new LinkedHashMap<>();
        for (String jobId : selection.jobIds()) {
            if (!latest.containsKey(jobId)) {
                left.add(new RetryPlan.Left(jobId, "has no result" + (selection.batchId() == null ? "" : " in batch "
                        + selection.batchId()) + " yet: it is still queued or running, or was never sent"));
            }
        }
        latest.forEach((jobId, result) -> {
            if (selection.statuses().contains(result.status())) {
                chosen.put(jobId, result);
            } else if (selection.jobIds().contains(jobId)) {
                left.add(new RetryPlan.Left(jobId, "its latest run (" + result.run() + ") ended " + result.status()
                        + "; add --status " + result.status() + " to run it again"));
            }
        });

        Map<String, MotionJob> records = new LinkedHashMap<>();
        Map<String, Integer> invalid = new LinkedHashMap<>();
        TopicScan.readToEnd(kafka, jobsTopic, "troupe-retry-jobs", record -> {
            if (record.value() == null) {
                return;
            }
            DecodeResult decoded = codec.decode(record.value());
            if (decoded instanceof DecodeResult.Decoded ok && chosen.containsKey(ok.job().jobId())) {
                records.merge(ok.job().jobId(), ok.job(), (earlier, later) -> later.run() >= earlier.run() ? later : earlier);
            } else if (decoded instanceof DecodeResult.Invalid bad && bad.jobId() != null && chosen.containsKey(bad.jobId())) {
                invalid.merge(bad.jobId(), 1, Integer::sum);
            }
        });

        List<RetryPlan.Retry> retries = new ArrayList<>();
        chosen.forEach((jobId, result) -> {
            MotionJob job = records.get(jobId);
            if (job == null) {
                left.add(new RetryPlan.Left(jobId, invalid.containsKey(jobId)
                        ? "its record is not a valid job (" + describe(result) + "): fix it and submit it again"
                        : "its record is no longer on " + jobsTopic + " (expired by retention?): submit it again"));
            } else if (job.run() > result.run()) {
                left.add(new RetryPlan.Left(jobId, "run " + job.run() + " is sent already and has no result yet"));
            } else if (job.run() >= MotionJob.MAX_RUN) {
                left.add(new RetryPlan.Left(jobId, "it has had " + MotionJob.MAX_RUN + " runs, the most a job may have"));
            } else {
                retries.add(new RetryPlan.Retry(job.nextRun(), result, cost(job)));
            }
        });
        return new RetryPlan(retries, left, results[0] - latest.size());
    }

    private JobResult result(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return codec.decodeResult(value);
        } catch (RuntimeException e) {
            return null; // not a result this version reads: nothing to retry from it
        }
    }

    private Tokens cost(MotionJob job) {
        return catalog.find(job.model()).map(model -> model.cost(job.input())).orElse(Tokens.ZERO);
    }

    private static String describe(JobResult result) {
        return result.status() + (result.error() == null ? "" : " " + Objects.toString(result.error().code(), ""));
    }
}
