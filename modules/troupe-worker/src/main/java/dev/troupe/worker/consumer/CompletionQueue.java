package dev.troupe.worker.consumer;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The one hand-off from the runner (event loop) back to the consumer thread: offsets whose job is
 * terminal (its result acknowledged by Kafka, or nothing to publish). Only the consumer thread drains it.
 */
public final class CompletionQueue {

    /** A record whose job needs nothing more from this worker. */
    public record Completion(TopicPartition partition, long offset) {}

    private final ConcurrentLinkedQueue<Completion> queue = new ConcurrentLinkedQueue<>();

    public void complete(TopicPartition partition, long offset) {
        queue.add(new Completion(partition, offset));
    }

    /** Applies every queued completion; returns how many there were. */
    int drainTo(Consumer<Completion> sink) {
        int drained = 0;
        Completion next;
        while ((next = queue.poll()) != null) {
            sink.accept(next);
            drained++;
        }
        return drained;
    }
}
