package dev.troupe.worker.results;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.Texts;
import dev.troupe.worker.consumer.JobRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes terminal results to {@code troupe.results} and unreadable records to {@code troupe.dlq}.
 * {@link Producer#send} may block (metadata, a full buffer), so sends run on one dedicated thread;
 * their outcome comes back on the runner's context. The producer is idempotent with acks=all (set by
 * the worker configuration).
 *
 * <p>Every record is published in the first of its forms that Kafka takes, largest first: a form
 * refused as too large ({@link RecordTooLargeException}, or known to be over the producer's
 * {@code max.request.size} before sending) is never sent again; the next, smaller form is. Any other
 * failure is retried with a growing pause until Kafka acknowledges or the publisher closes, so a
 * result is never dropped while the worker runs.
 */
public final class ResultPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

    public static final String HEADER_ERROR_CODE = "troupe.error.code";
    public static final String HEADER_ERROR_MESSAGE = "troupe.error.message";
    public static final String HEADER_SOURCE_TOPIC = "troupe.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "troupe.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "troupe.source.offset";
    /** SHA-256 of the original value, hex; with {@link #HEADER_SOURCE_BYTES}, identifies a cut record. */
    public static final String HEADER_SOURCE_SHA256 = "troupe.source.sha256";
    public static final String HEADER_SOURCE_BYTES = "troupe.source.bytes";
    /** Present (value {@code prefix} or {@code dropped}) when the dead letter does not carry the whole original value. */
    public static final String HEADER_TRUNCATED = "troupe.dlq.truncated";

    /** Longest error message in a dead letter's header. */
    static final int MAX_HEADER_MESSAGE_CHARS = 1_000;
    /** How much of an original value a cut dead letter keeps. */
    static final int DEAD_LETTER_PREFIX_BYTES = 64 * 1024;
    /** Record framing on top of key, value and headers (a conservative bound of Kafka's record and batch overhead). */
    static final int RECORD_OVERHEAD_BYTES = 1_024;
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private final Producer<byte[], byte[]> producer;
    private final JobCodec codec;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final Context context;
    private final int maxRequestBytes;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "troupe-result-publisher");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param maxRequestBytes the producer's {@code max.request.size}: forms known to be larger are not sent
     */
    public ResultPublisher(Producer<byte[], byte[]> producer, JobCodec codec, String resultsTopic,
                           String deadLetterTopic, Context context, int maxRequestBytes) {
        this.producer = producer;
        this.codec = codec;
        this.resultsTopic = resultsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.context = context;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Completes on the runner's context once Kafka acknowledged the result (acks=all); fails only when
     * the publisher was closed first. The result is encoded on the send thread: in a JFR profile of
     * the dispatch bench (L = 0, C = 256) JSON writing was about 6% of the samples on the runner's event loop.
     */
    public Future<Void> publish(JobResult result) {
        byte[] key = result.jobId().getBytes(StandardCharsets.UTF_8);
        return deliver("the result of " + result.jobId(), List.of(
                () -> new ProducerRecord<>(resultsTopic, null, key, codec.encodeResult(result)),
                () -> new ProducerRecord<>(resultsTopic, null, key, codec.encodeResult(cutToFit(result)))));
    }

    /**
     * The original bytes and headers, plus headers naming the error and where the record came from;
     * cut to a prefix, then to headers alone, when that does not fit. Completes as {@link #publish}.
     */
    public Future<Void> deadLetter(JobRecord source, String errorCode, String errorMessage) {
        return deliver("dead letter of " + source.coordinates(), List.of(
                () -> deadLetterRecord(source, errorCode, errorMessage, Form.WHOLE),
                () -> deadLetterRecord(source, errorCode, errorMessage, Form.PREFIX),
                () -> deadLetterRecord(source, errorCode, errorMessage, Form.HEADERS_ONLY)));
    }

    private enum Form { WHOLE, PREFIX, HEADERS_ONLY }

    /** The same result without what can make it large: violations and metadata, and a shorter message. */
    static JobResult cutToFit(JobResult result) {
        JobResult.Error error = result.error() == null ? null : new JobResult.Error(result.error().code(),
                Texts.clip(result.error().message(), 300) + " [result cut to fit the producer's max.request.size: "
                        + result.error().violations().size() + " violation(s) and the metadata left out]",
                result.error().retryable(), List.of());
        return new JobResult(result.jobId(), Texts.clip(result.batchId(), 128), Texts.clip(result.tenant(), 64),
                result.status(), Texts.clip(result.generationId(), 128), result.videoUrl(), result.costTokens(),
                result.attempts(), error, result.timings(), Map.of());
    }

    private ProducerRecord<byte[], byte[]> deadLetterRecord(JobRecord source, String errorCode, String errorMessage, Form form) {
        byte[] value = source.value() == null ? new byte[0] : source.value();
        RecordHeaders headers = new RecordHeaders();
        if (form == Form.WHOLE && source.headers() != null) {
            for (Header h : source.headers()) {
                headers.add(h.key(), h.value());
            }
        }
        headers.add(HEADER_ERROR_CODE, utf8(Texts.clip(errorCode, 64)));
        headers.add(HEADER_ERROR_MESSAGE, utf8(Texts.clip(errorMessage, MAX_HEADER_MESSAGE_CHARS)));
        headers.add(HEADER_SOURCE_TOPIC, utf8(source.partition().topic()));
        headers.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(source.partition().partition())));
        headers.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        headers.add(HEADER_SOURCE_BYTES, utf8(Integer.toString(value.length)));
        headers.add(HEADER_SOURCE_SHA256, utf8(sha256(value)));
        byte[] key = source.key() == null || source.key().length <= 1_024 ? source.key() : Arrays.copyOf(source.key(), 1_024);
        byte[] kept = switch (form) {
            case WHOLE -> value;
            case PREFIX -> value.length <= DEAD_LETTER_PREFIX_BYTES ? value : Arrays.copyOf(value, DEAD_LETTER_PREFIX_BYTES);
            case HEADERS_ONLY -> null;
        };
        if (form != Form.WHOLE) {
            headers.add(HEADER_TRUNCATED, utf8(form == Form.PREFIX ? "prefix" : "dropped"));
        }
        return new ProducerRecord<>(deadLetterTopic, null, form == Form.WHOLE ? source.key() : key, kept, headers);
    }

    /** Tries each form in turn on the send thread, moving on only when a form is too large. */
    private Future<Void> deliver(String what, List<Supplier<ProducerRecord<byte[], byte[]>>> forms) {
        Promise<Void> acked = Promise.promise();
        attempt(what, forms, 0, FIRST_RETRY_MILLIS, acked);
        return acked.future();
    }

    private void attempt(String what, List<Supplier<ProducerRecord<byte[], byte[]>>> forms, int form, long retryMillis,
                         Promise<Void> acked) {
        try {
            sender.execute(() -> {
                ProducerRecord<byte[], byte[]> record;
                try {
                    record = forms.get(form).get();
                } catch (RuntimeException e) {
                    // Cannot happen for a well-formed result; a next form is still better than a lost one.
                    context.runOnContext(v -> tooLarge(what, forms, form, e, acked));
                    return;
                }
                int size = estimatedSize(record);
                if (size > maxRequestBytes) {
                    context.runOnContext(v -> tooLarge(what, forms, form, new RecordTooLargeException(
                            "about " + size + " bytes, over max.request.size " + maxRequestBytes), acked));
                    return;
                }
                try {
                    producer.send(record, (metadata, error) -> context.runOnContext(v -> sent(what, forms, form, retryMillis, error, acked)));
                } catch (RuntimeException e) {
                    context.runOnContext(v -> sent(what, forms, form, retryMillis, e, acked));
                }
            });
        } catch (RejectedExecutionException e) {
            acked.tryFail(new IllegalStateException("result publisher is closed", e));
        }
    }

    private void sent(String what, List<Supplier<ProducerRecord<byte[], byte[]>>> forms, int form, long retryMillis,
                      Exception error, Promise<Void> acked) {
        if (error == null) {
            if (form > 0) {
                log.warn("{} was published cut to fit (form {} of {})", what, form + 1, forms.size());
            }
            acked.tryComplete();
        } else if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            tooLarge(what, forms, form, error, acked);
        } else if (closed()) {
            acked.tryFail(new IllegalStateException("result publisher is closed", error));
        } else {
            log.warn("publishing {} failed, retrying in {} ms: {}", what, retryMillis, error.toString());
            context.owner().setTimer(retryMillis, id -> attempt(what, forms, form, Math.min(MAX_RETRY_MILLIS, retryMillis * 2), acked));
        }
    }

    private void tooLarge(String what, List<Supplier<ProducerRecord<byte[], byte[]>>> forms, int form, Exception error,
                          Promise<Void> acked) {
        if (form + 1 < forms.size()) {
            attempt(what, forms, form + 1, FIRST_RETRY_MILLIS, acked);
            return;
        }
        // Even the smallest form is refused: the topic's limits are below what any record needs. Say so
        // loudly and let the record go, rather than hold its partition's commit for ever.
        log.error("{} cannot be published in any form ({}); check max.request.size and the topic's max.message.bytes. "
                + "Its record is treated as finished.", what, error.toString());
        acked.tryComplete();
    }

    private static int estimatedSize(ProducerRecord<byte[], byte[]> record) {
        long size = RECORD_OVERHEAD_BYTES + length(record.key()) + length(record.value());
        for (Header h : record.headers()) {
            size += h.key().length() * 3L + length(h.value()) + 16;
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
