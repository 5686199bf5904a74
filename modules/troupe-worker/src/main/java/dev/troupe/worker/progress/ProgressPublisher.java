package dev.troupe.worker.progress;

import dev.troupe.model.ProgressCodec;
import dev.troupe.model.ProgressEvent;
import dev.troupe.worker.runner.ProgressEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the jobs' progress events to {@code topics.progress}, best-effort. {@link #emit} only offers the
 * event to a bounded queue (a full queue drops it), so the event loop never waits: a producer's
 * {@code send} blocks while the topic's metadata is missing or its buffer is full, so it is called on
 * this publisher's own thread. Not in a transaction, not idempotent: a lost or repeated event is only
 * a stale line in {@code troupe watch}. Every event not sent is counted ({@code onFailure}) and logged
 * at most once a minute. Thread-safe.
 */
public final class ProgressPublisher implements ProgressEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressPublisher.class);
    /** Events waiting to be sent; a burst of a few thousand jobs fits. */
    static final int QUEUE = 10_000;
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Runnable onFailure;
    private final Clock clock;
    private final ProgressCodec codec = new ProgressCodec();
    private final BlockingQueue<ProgressEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicReference<Instant> lastLogged = new AtomicReference<>(Instant.MIN);
    private final Thread sender;
    private volatile boolean closed;

    public ProgressPublisher(Producer<byte[], byte[]> producer, String topic, Runnable onFailure, Clock clock, String name) {
        this.producer = producer;
        this.topic = topic;
        this.onFailure = onFailure;
        this.clock = clock;
        this.sender = new Thread(this::sendAll, "troupe-progress-" + name);
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void emit(ProgressEvent event) {
        if (closed || !queue.offer(event)) {
            failed("the queue of " + QUEUE + " events is full", null);
        }
    }

    private void sendAll() {
        while (true) {
            ProgressEvent event;
            try {
                event = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(topic, event.jobId().getBytes(StandardCharsets.UTF_8), codec.encode(event)),
                        (metadata, error) -> {
                            if (error != null) {
                                failed("the broker did not take it", error);
                            }
                        });
            } catch (RuntimeException e) {
                // max.block.ms passed without metadata, the producer is closing, or the event cannot be written.
                failed("it could not be sent", e);
            }
        }
    }

    private void failed(String why, Throwable error) {
        onFailure.run();
        Instant now = clock.instant();
        Instant last = lastLogged.get();
        if (!now.isBefore(last.plus(LOG_EVERY)) && lastLogged.compareAndSet(last, now)) {
            log.warn("a progress event for {} was dropped: {}{} (jobs are not affected; logged at most once a minute,"
                    + " troupe_progress_events_failed_total counts them all)", topic, why, error == null ? "" : ": " + error);
        }
    }

    /** Sends what is queued (waiting at most {@code grace}), then closes the producer. */
    public void close(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sender.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        producer.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
