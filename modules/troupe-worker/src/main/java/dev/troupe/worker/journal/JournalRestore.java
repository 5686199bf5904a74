package dev.troupe.worker.journal;

import dev.troupe.model.JournalEntry;
import dev.troupe.model.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A partition's journal as read on assignment.
 *
 * @param entries     the latest entry of each job still journaled, by jobId, except parked ones
 * @param parked      the jobs whose latest entry is PARKED, in the order they were parked: what a
 *                    resume needs before it reads the job back ({@link JobJournal#readBack})
 * @param recordsRead journal records read (entries, superseded ones and tombstones)
 * @param unreadable  records that could not be read as an entry (skipped, logged)
 * @param took        wall time of the read
 */
public record JournalRestore(TopicPartition partition, Map<String, JournalEntry> entries, List<Parked> parked, long recordsRead,
                             long unreadable, Duration took) {

    public JournalRestore {
        entries = Map.copyOf(entries);
        parked = List.copyOf(parked);
    }

    public static JournalRestore empty(TopicPartition partition) {
        return new JournalRestore(partition, Map.of(), List.of(), 0, 0, Duration.ZERO);
    }

    /** A parked job without the job itself (which stays in the journal, at {@code offset}, until it resumes). */
    /** A parked job as its next owner keeps it: what its turn and a cancel need, not the job (read back when it resumes). */
    public record Parked(String jobId, long offset, String tenant, Tokens cost, Instant resumesAt, String batchId,
                         Instant enqueuedAt) {

        static Parked of(JournalEntry.Parked entry, long offset) {
            return new Parked(entry.jobId(), offset, entry.job().tenant(), entry.cost(), entry.resumesAt(), entry.job().batchId(),
                    entry.enqueuedAt());
        }
    }
}
