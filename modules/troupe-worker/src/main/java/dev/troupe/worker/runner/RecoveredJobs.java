package dev.troupe.worker.runner;

import dev.troupe.model.JournalEntry;
import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the journals of this worker's partitions said when they were assigned: the jobs a previous
 * owner had under way (taken once, when their record is admitted) and the jobs it finished (kept for
 * the assignment, so that every repeat is answered without running). Confined to the runner's event loop.
 */
final class RecoveredJobs {

    private final Map<TopicPartition, Map<String, JournalEntry>> underWay = new HashMap<>();
    private final Map<TopicPartition, Set<String>> finished = new HashMap<>();

    /**
     * Takes a partition's journal; returns how many of its jobs were under way with their records still
     * in Kafka. Those Givon runs already are counted against {@code limiter} from now, not once their
     * records are read again and their budget answers.
     */
    int restored(JournalRestore restore, ConcurrencyLimiter limiter, java.time.Instant now) {
        Map<String, JournalEntry> open = new HashMap<>();
        Set<String> done = new HashSet<>();
        restore.entries().forEach((jobId, entry) -> {
            if (entry instanceof JournalEntry.Finished) {
                done.add(jobId);
            } else if (entry.job() == null) {
                open.put(jobId, entry);
                if (entry instanceof JournalEntry.Accepted) {
                    limiter.expectRunning(now);
                }
            } // else its record was committed: it resumes from the journal (Admission.fromJournal), not from a record

        });
        underWay.put(restore.partition(), open);
        finished.put(restore.partition(), done);
        return open.size();
    }

    boolean finished(TopicPartition partition, String jobId) {
        return finished.getOrDefault(partition, Set.of()).contains(jobId);
    }

    /** The journal's last word on a job under way when the partition was assigned, once; null if none. */
    JournalEntry take(TopicPartition partition, String jobId) {
        Map<String, JournalEntry> open = underWay.get(partition);
        return open == null ? null : open.remove(jobId);
    }

    void forget(Set<TopicPartition> revoked) {
        revoked.forEach(tp -> {
            underWay.remove(tp);
            finished.remove(tp);
        });
    }
}
