package dev.troupe.worker.consumer;

import dev.troupe.worker.offset.OffsetTracker;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once ({@code results.delivery: at-least-once}): outcomes were published before their
 * offsets complete, so only offsets are committed here, asynchronously while consuming and
 * synchronously when partitions are given up.
 */
public final class OffsetCommits implements Committer {

    private static final Logger log = LoggerFactory.getLogger(OffsetCommits.class);

    private final Consumer<byte[], byte[]> consumer;

    public OffsetCommits(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void stage(ConsumerCommand.Publish publish) {
        throw new IllegalStateException("at-least-once delivery publishes outcomes before their offsets complete");
    }

    @Override
    public void commitDue(OffsetTracker offsets, boolean now) {
        Map<TopicPartition, OffsetAndMetadata> due = offsets.commitsDue();
        if (!due.isEmpty()) {
            // The callback runs on this thread (inside a later poll or commit), so the tracker stays confined.
            consumer.commitAsync(due, (committed, error) -> {
                if (error != null) {
                    // Offered again by the next commitsDue(), unless a newer commit superseded it.
                    offsets.commitFailed(due);
                    log.debug("offset commit of {} failed, will retry: {}", due.keySet(), error.toString());
                }
            });
        }
    }

    @Override
    public void commitFinal(OffsetTracker offsets, Collection<TopicPartition> partitions, String why) {
        Map<TopicPartition, OffsetAndMetadata> finalCommits = offsets.revoke(partitions);
        if (finalCommits.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(finalCommits, Duration.ofSeconds(10));
            log.debug("{}: committed {}", why, finalCommits);
        } catch (RuntimeException e) {
            log.warn("{}: commit of {} failed; those records will be redelivered", why, finalCommits, e);
        }
    }

    @Override
    public void drop(Collection<TopicPartition> partitions) {
    }

    @Override
    public int staged() {
        return 0;
    }

    @Override
    public void close() {
    }
}
