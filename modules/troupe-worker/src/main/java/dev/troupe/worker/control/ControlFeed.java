package dev.troupe.worker.control;

import dev.troupe.model.ControlCodec;
import dev.troupe.model.ControlCommand;
import dev.troupe.worker.kafka.TopicFollower;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code troupe.control} in full, from its start and then as it grows, outside the consumer
 * group (DESIGN.md "Controls, progress and batches"): every worker knows every command. Each command
 * applied is told to the listener, which hops to the runner. A record that is not a command is
 * logged and skipped: an operator's typo must not stop the fleet.
 *
 * <p>Threads: a reader thread ({@code troupe-controls}); {@link #start} and {@link #close} block.
 */
public final class ControlFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Told of every command applied, on the reader thread. */
    public interface Listener {
        void changed(ControlCommand command);
    }

    private final String topic;
    private final ControlState state;
    private final Listener listener;
    private final ControlCodec codec = new ControlCodec();
    private final TopicFollower follower;

    /** @param consumer not in a group, used by the reader thread alone; closed with this */
    public ControlFeed(Consumer<byte[], byte[]> consumer, String topic, ControlState state, Listener listener) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.state = Objects.requireNonNull(state, "state");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.follower = new TopicFollower(consumer, topic, all -> all, POLL, "troupe-controls",
                "later cancels and pauses do not reach this worker", new TopicFollower.Reader() {
                    @Override
                    public void seek(Consumer<byte[], byte[]> reading, List<TopicPartition> partitions) {
                        reading.seekToBeginning(partitions);
                    }

                    @Override
                    public void apply(ConsumerRecord<byte[], byte[]> record) {
                        ControlFeed.this.apply(record);
                    }
                });
    }

    /** Starts reading; completes once the commands written before now are applied. */
    public CompletableFuture<Void> start() {
        return follower.start().thenRun(() -> log.info("{}: {} command(s) in force", topic, state.size()));
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            if (key != null) {
                state.apply(key, null);
            }
            return;
        }
        ControlCodec.Decoded decoded = codec.decode(record.value());
        if (decoded instanceof ControlCodec.Command ok) {
            ControlCommand command = ok.command();
            if (!command.key().equals(key)) {
                log.warn("{} offset {}: a {} of {} under key {}: applied under its own key {}", topic, record.offset(),
                        command.kind(), command.key(), key, command.key());
            }
            state.apply(command.key(), command);
            log.info("{}: {} {} ({})", topic, command.kind(), command.key(), command.reason() == null ? "no reason given" : command.reason());
            listener.changed(command);
        } else if (decoded instanceof ControlCodec.Unreadable bad) {
            log.warn("{} offset {}: not a control command, skipped: {}{}", topic, record.offset(),
                    bad.field().isEmpty() ? "" : bad.field() + ": ", bad.reason());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
