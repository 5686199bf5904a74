package dev.troupe.worker.consumer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The one queue of work for the consumer thread (which owns the KafkaConsumer and the offsets):
 * any thread adds, only the consumer thread takes. The loop polls Kafka for at most 50 ms, so a
 * command waits at most that long; no wakeup is needed.
 */
public final class ConsumerCommands {

    private final LinkedBlockingQueue<ConsumerCommand> queue = new LinkedBlockingQueue<>();

    public void add(ConsumerCommand command) {
        queue.add(command);
    }

    public void complete(TopicPartition partition, long offset) {
        add(new ConsumerCommand.Complete(partition, offset));
    }

    public void handedBack(Set<TopicPartition> partitions) {
        add(new ConsumerCommand.HandedBack(Set.copyOf(partitions)));
    }

    /** Applies every queued command. */
    void drainTo(Consumer<ConsumerCommand> apply) {
        ConsumerCommand next;
        while ((next = queue.poll()) != null) {
            apply.accept(next);
        }
    }

    /** The next command, waiting up to {@code timeout}; null if none came. */
    ConsumerCommand next(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
