package dev.troupe.worker.journal;

import dev.troupe.model.JournalEntry;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code journal.enabled: false}: nothing is written or read. Writes succeed at once and a restore
 * finds nothing, so the worker runs as it did before the journal (a crashed worker's generations are
 * then paid again by the next owner).
 */
final class DisabledJournal implements JobJournal {

    static final DisabledJournal INSTANCE = new DisabledJournal();

    private DisabledJournal() {
    }

    @Override
    public CompletableFuture<JournalRestore> recover(TopicPartition jobsPartition) {
        return CompletableFuture.completedFuture(JournalRestore.empty(jobsPartition));
    }

    @Override
    public Future<Void> record(TopicPartition jobsPartition, JournalEntry entry) {
        return Future.succeededFuture();
    }

    @Override
    public Future<Long> park(TopicPartition jobsPartition, JournalEntry.Parked entry) {
        return Future.succeededFuture(-1L);
    }

    @Override
    public Future<Map<Long, JournalEntry>> readBack(TopicPartition jobsPartition, Collection<Long> offsets) {
        return Future.succeededFuture(Map.of());
    }

    @Override
    public Future<Void> forget(TopicPartition jobsPartition, String jobId) {
        return Future.succeededFuture();
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "JobJournal.disabled()";
    }
}
