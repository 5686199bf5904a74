package dev.troupe.worker.control;

import dev.troupe.model.ControlCodec;
import dev.troupe.model.ControlCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final ControlState state;
    private final Listener listener;
    private final ControlCodec codec = new ControlCodec();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread reader;
    private volatile boolean closed;

    /** @param consumer not in a group, used by the reader thread alone; closed with this */
    public ControlFeed(Consumer<byte[], byte[]> consumer, String topic, ControlState state, Listener listener) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.state = Objects.requireNonNull(state, "state");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.reader = new Thread(this::read, "troupe-controls");
        this.reader.setDaemon(true);
    }

    /** Starts reading; completes once the commands written before now are applied. */
    public CompletableFuture<Void> start() {
        reader.start();
        return caughtUp;
    }

    private void read() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.info("{}: {} command(s) in force", topic, state.size());
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                log.error("the reader of {} was woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            log.error("the reader of {} stopped: later cancels and pauses do not reach this worker", topic, e);
            caughtUp.completeExceptionally(e);
        }
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
        closed = true;
        consumer.wakeup();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
