package dev.troupe.worker.journal;

import dev.troupe.model.JournalEntry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A partition's journal as read on assignment.
 *
 * @param entries     the latest entry of each job still journaled, by jobId
 * @param recordsRead journal records read (entries, superseded ones and tombstones)
 * @param unreadable  records that could not be read as an entry (skipped, logged)
 * @param took        wall time of the read
 */
public record JournalRestore(TopicPartition partition, Map<String, JournalEntry> entries, long recordsRead, long unreadable,
                             Duration took) {

    public JournalRestore {
        entries = Map.copyOf(entries);
    }

    public static JournalRestore empty(TopicPartition partition) {
        return new JournalRestore(partition, Map.of(), 0, 0, Duration.ZERO);
    }
}
