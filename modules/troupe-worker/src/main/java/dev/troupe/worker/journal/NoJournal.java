package dev.troupe.worker.journal;

import dev.troupe.model.JournalEntry;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/** The journal switched off ({@code journal.enabled: false}): writes succeed at once, restores find nothing. */
public final class NoJournal implements JobJournal {

    @Override
    public CompletableFuture<JournalRestore> recover(TopicPartition jobsPartition) {
        return CompletableFuture.completedFuture(JournalRestore.empty(jobsPartition));
    }

    @Override
    public Future<Void> record(TopicPartition jobsPartition, JournalEntry entry) {
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> forget(TopicPartition jobsPartition, String jobId) {
        return Future.succeededFuture();
    }

    @Override
    public void close() {
    }
}
