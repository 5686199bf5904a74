package dev.troupe.worker.results;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.worker.consumer.JobRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes terminal results to {@code troupe.results} and unreadable records to {@code troupe.dlq}.
 * {@link KafkaProducer#send} may block (metadata, a full buffer), so sends run on one dedicated
 * thread; their outcome comes back on the runner's context. The producer is idempotent with
 * acks=all (set by the worker configuration).
 */
public final class ResultPublisher implements AutoCloseable {

    public static final String HEADER_ERROR_CODE = "troupe.error.code";
    public static final String HEADER_ERROR_MESSAGE = "troupe.error.message";
    public static final String HEADER_SOURCE_TOPIC = "troupe.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "troupe.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "troupe.source.offset";

    private final KafkaProducer<byte[], byte[]> producer;
    private final JobCodec codec;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final Context context;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "troupe-result-publisher");
        t.setDaemon(true);
        return t;
    });

    public ResultPublisher(KafkaProducer<byte[], byte[]> producer, JobCodec codec, String resultsTopic,
                           String deadLetterTopic, Context context) {
        this.producer = producer;
        this.codec = codec;
        this.resultsTopic = resultsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.context = context;
    }

    /**
     * Completes on the runner's context once Kafka acknowledged the result (acks=all). The result is
     * encoded on the send thread: in a JFR profile of the dispatch bench (L = 0,
     * C = 256) JSON writing was about 6% of the samples on the runner's event loop.
     */
    public Future<Void> publish(JobResult result) {
        byte[] key = result.jobId().getBytes(StandardCharsets.UTF_8);
        return send(() -> new ProducerRecord<>(resultsTopic, null, key, codec.encodeResult(result)));
    }

    /** The original bytes and headers, plus headers naming the error and where the record came from. */
    public Future<Void> deadLetter(JobRecord source, String errorCode, String errorMessage) {
        RecordHeaders headers = new RecordHeaders();
        if (source.headers() != null) {
            for (Header h : source.headers()) {
                headers.add(h.key(), h.value());
            }
        }
        headers.add(HEADER_ERROR_CODE, utf8(errorCode));
        headers.add(HEADER_ERROR_MESSAGE, utf8(errorMessage));
        headers.add(HEADER_SOURCE_TOPIC, utf8(source.partition().topic()));
        headers.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(source.partition().partition())));
        headers.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null, source.key(), source.value(), headers);
        return send(() -> record);
    }

    private Future<Void> send(Supplier<ProducerRecord<byte[], byte[]>> record) {
        Promise<Void> acked = Promise.promise();
        try {
            sender.execute(() -> {
                try {
                    producer.send(record.get(), (metadata, error) -> context.runOnContext(v -> {
                        if (error == null) {
                            acked.complete();
                        } else {
                            acked.fail(error);
                        }
                    }));
                } catch (RuntimeException e) {
                    context.runOnContext(v -> acked.fail(e));
                }
            });
        } catch (RejectedExecutionException e) {
            acked.fail(new IllegalStateException("result publisher is closed", e));
        }
        return acked.future();
    }

    /** After {@link #close()}: nothing can be sent any more. */
    public boolean closed() {
        return sender.isShutdown();
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
