package dev.troupe.client.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.client.KafkaConnection;
import java.io.IOException;
import java.util.LinkedHashSet;
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
        Set<String> jobIds = new LinkedHashSet<>();
        TopicScan.readToEnd(kafka, jobsTopic, "troupe-batch-jobs", record -> {
            String jobId = jobIdOf(record.value(), batchId);
            if (jobId != null) {
                jobIds.add(jobId);
            }
        });
        return jobIds;
    }

    private static String jobIdOf(byte[] value, String batchId) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode job = JSON.readTree(value);
            if (job != null && job.isObject() && batchId.equals(job.path("batchId").asText(null))
                    && job.path("jobId").isTextual()) {
                return job.get("jobId").textValue();
            }
        } catch (IOException e) {
            // Not a job: the workers dead-letter it; it is no job of this batch.
        }
        return null;
    }
}
