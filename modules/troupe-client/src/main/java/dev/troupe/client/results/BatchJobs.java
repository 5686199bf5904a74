package dev.troupe.client.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.client.KafkaConnection;
import dev.troupe.model.MotionJob;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds the jobs of a batch on {@code troupe.jobs} (read to its current end), so that a watcher knows
 * how many results make the batch complete. Records that are not readable job JSON are skipped: the
 * workers answer them on their own (REJECTED or dead-lettered).
 */
public final class BatchJobs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchJobs() {
    }

    /** The distinct jobIds of the batch, in the order they were sent. */
    public static Set<String> find(KafkaConnection kafka, String jobsTopic, String batchId) {
        return latestRuns(kafka, jobsTopic, batchId).keySet();
    }

    /** The distinct jobIds of the batch, in the order they were first sent, each with the latest run sent. */
    public static Map<String, Integer> latestRuns(KafkaConnection kafka, String jobsTopic, String batchId) {
        Map<String, Integer> runs = new LinkedHashMap<>();
        TopicScan.readToEnd(kafka, jobsTopic, "troupe-batch-jobs", record -> {
            JsonNode job = jobOf(record.value(), batchId);
            if (job != null) {
                JsonNode run = job.path("run");
                // An unreadable run is the workers' to reject; it counts as the first.
                boolean usable = run.isIntegralNumber() && run.canConvertToInt() && run.intValue() >= 1 && run.intValue() <= MotionJob.MAX_RUN;
                runs.merge(job.get("jobId").textValue(), usable ? run.intValue() : 1, Math::max);
            }
        });
        return runs;
    }

    private static JsonNode jobOf(byte[] value, String batchId) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode job = JSON.readTree(value);
            if (job != null && job.isObject() && batchId.equals(job.path("batchId").asText(null))
                    && job.path("jobId").isTextual()) {
                return job;
            }
        } catch (IOException e) {
            // Not a job: the workers dead-letter it; it is no job of this batch.
        }
        return null;
    }
}
