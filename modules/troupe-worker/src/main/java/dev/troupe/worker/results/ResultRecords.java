package dev.troupe.worker.results;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JournalCodec;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.Texts;
import dev.troupe.worker.consumer.JobRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records a job ends with, each in the forms it may be published in: its result on
 * {@code troupe.results}, a dead letter on {@code troupe.dlq}, its outcome in the journal. One place
 * for both ways of publishing them (one by one, or in a transaction with the offsets).
 */
public final class ResultRecords {

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

    private final JobCodec codec;
    private final JournalCodec journalCodec;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final String stateTopic;

    /**
     * @param journalCodec and {@code stateTopic}: null when the journal is off (then {@link #outcome} is not used)
     */
    public ResultRecords(JobCodec codec, JournalCodec journalCodec, String resultsTopic, String deadLetterTopic, String stateTopic) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.journalCodec = journalCodec;
        this.resultsTopic = Objects.requireNonNull(resultsTopic, "resultsTopic");
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        this.stateTopic = stateTopic;
    }

    /** The result, whole, then without what can make it large. */
    public RecordForms result(JobResult result) {
        byte[] key = result.jobId().getBytes(StandardCharsets.UTF_8);
        return new RecordForms("the result of " + result.jobId(), List.of(
                () -> new ProducerRecord<>(resultsTopic, null, key, codec.encodeResult(result)),
                () -> new ProducerRecord<>(resultsTopic, null, key, codec.encodeResult(cutToFit(result)))));
    }

    /**
     * The original bytes and headers, plus headers naming the error and where the record came from;
     * cut to a prefix, then to headers alone, when that does not fit.
     */
    public RecordForms deadLetter(JobRecord source, String errorCode, String errorMessage) {
        return new RecordForms("dead letter of " + source.coordinates(), List.of(
                () -> deadLetterRecord(source, errorCode, errorMessage, Form.WHOLE),
                () -> deadLetterRecord(source, errorCode, errorMessage, Form.PREFIX),
                () -> deadLetterRecord(source, errorCode, errorMessage, Form.HEADERS_ONLY)));
    }

    /** The job's journal entry, on the state partition with its jobs partition's number (small: one form). */
    public RecordForms outcome(TopicPartition jobsPartition, JournalEntry entry) {
        if (journalCodec == null || stateTopic == null) {
            throw new IllegalStateException("the journal is off: no outcome to write");
        }
        byte[] key = entry.jobId().getBytes(StandardCharsets.UTF_8);
        return new RecordForms(entry.kind() + " of job " + entry.jobId(), List.of(
                () -> new ProducerRecord<>(stateTopic, jobsPartition.partition(), key, journalCodec.encode(entry))));
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
                result.attempts(), error, result.timings(), Map.of(), result.run(), result.worker());
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

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
