package dev.troupe.client.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.client.KafkaConnection;
import dev.troupe.client.KafkaUnreachableException;
import dev.troupe.client.MissingTopicsException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

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
        Map<String, Object> config = kafka.committedReaderConfig("troupe-batch-jobs");
        Set<String> jobIds = new LinkedHashSet<>();
        long deadline = System.nanoTime() + kafka.timeout().multipliedBy(4).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(jobsTopic, kafka.timeout());
            if (infos == null || infos.isEmpty()) {
                throw new MissingTopicsException(kafka.bootstrapServers(), List.of(jobsTopic));
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(jobsTopic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, kafka.timeout());
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaUnreachableException(kafka, "reading " + jobsTopic + " to its end took too long", null);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String jobId = jobIdOf(record.value(), batchId);
                    if (jobId != null) {
                        jobIds.add(jobId);
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "reading " + jobsTopic + ": " + e.getMessage(), e);
        }
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
