package dev.troupe.client;

import dev.troupe.model.DecodeResult;
import dev.troupe.model.JobCodec;
import dev.troupe.model.MotionJob;
import dev.troupe.model.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Puts jobs on {@code troupe.jobs}: each job is validated with the same {@link JobCodec} the workers
 * use and refused with every violation before anything is sent; valid jobs go out keyed by jobId
 * through an idempotent producer with {@code acks=all}, and a send returns once Kafka acknowledged
 * it. Sending the same jobId again is safe: workers do not run a job twice.
 *
 * <pre>{@code
 * try (JobSubmitter submitter = JobSubmitter.create(KafkaConnection.of("127.0.0.1:9092"), "troupe.jobs", JobCodec.defaults())) {
 *     SentJob sent = submitter.submit(job);
 * }
 * }</pre>
 *
 * Thread-safe (the Kafka producer is).
 */
public final class JobSubmitter implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConnection kafka;
    private final String topic;
    private final JobCodec codec;

    private JobSubmitter(KafkaProducer<byte[], byte[]> producer, KafkaConnection kafka, String topic, JobCodec codec) {
        this.producer = producer;
        this.kafka = kafka;
        this.topic = topic;
        this.codec = codec;
    }

    public static JobSubmitter create(KafkaConnection kafka, String jobsTopic, JobCodec codec) {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(codec, "codec");
        if (jobsTopic == null || jobsTopic.isBlank()) {
            throw new IllegalArgumentException("the jobs topic must be named");
        }
        return new JobSubmitter(new KafkaProducer<>(acknowledgedProducer(kafka, "troupe-submitter")), kafka, jobsTopic, codec);
    }

    /** What the CLI writes with: every record acknowledged by every in-sync replica, once, within the timeouts. */
    static Map<String, Object> acknowledgedProducer(KafkaConnection kafka, String clientId) {
        Map<String, Object> config = kafka.clientConfig(clientId);
        long timeout = kafka.timeout().toMillis();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout, Integer.MAX_VALUE)));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.min(2 * timeout + 5_000, Integer.MAX_VALUE)));
        // Not overridable: a job must reach every in-sync replica exactly once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One request in flight per broker: with several, a request refused while a new partition is
        // still being set up (NOT_LEADER) can be overtaken by the next one, and the idempotent producer
        // then retries an out-of-order sequence until the delivery timeout (seen on a fresh broker).
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return config;
    }

    public String topic() {
        return topic;
    }

    /**
     * Checks a job as a worker would read it.
     *
     * @return the job with the model's defaults applied
     * @throws InvalidJobException with every broken rule
     */
    public MotionJob validate(MotionJob job) {
        return validate(codec, job);
    }

    /** Checks a {@code troupe.motion-job/v1} JSON document; see {@link #validate(MotionJob)}. */
    public MotionJob validate(byte[] jobJson) {
        return validate(codec, jobJson);
    }

    /** {@link #validate(MotionJob)} without a submitter (no Kafka needed). */
    public static MotionJob validate(JobCodec codec, MotionJob job) {
        byte[] encoded;
        try {
            encoded = codec.encode(job);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(job.jobId(), List.of(Violation.of("input", "type", null, e.getMessage())));
        }
        return validate(codec, encoded);
    }

    /** {@link #validate(byte[])} without a submitter (no Kafka needed). */
    public static MotionJob validate(JobCodec codec, byte[] jobJson) {
        DecodeResult decoded = codec.decode(jobJson);
        if (decoded instanceof DecodeResult.Decoded ok) {
            return ok.job();
        }
        if (decoded instanceof DecodeResult.Invalid invalid) {
            throw new InvalidJobException(invalid.jobId(), invalid.violations());
        }
        String reason = ((DecodeResult.Unreadable) decoded).reason();
        throw new InvalidJobException(null, List.of(Violation.of("", "JSON object", null, reason)));
    }

    /** Validates, sends and waits for Kafka's acknowledgement. */
    public SentJob submit(MotionJob job) {
        return submitAll(List.of(job)).get(0);
    }

    /**
     * Validates every job first, sends nothing if one is invalid, then sends them all and waits
     * until each is acknowledged.
     *
     * @throws InvalidJobException for the first invalid job (nothing was sent)
     * @throws KafkaUnreachableException when Kafka does not take the records within the timeout
     */
    public List<SentJob> submitAll(List<MotionJob> jobs) {
        List<MotionJob> valid = jobs.stream().map(this::validate).toList();
        List<Future<RecordMetadata>> acks = new ArrayList<>(valid.size());
        try {
            for (MotionJob job : valid) {
                acks.add(producer.send(new ProducerRecord<>(topic, job.jobId().getBytes(StandardCharsets.UTF_8),
                        codec.encode(job))));
            }
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
        producer.flush();
        List<SentJob> sent = new ArrayList<>(valid.size());
        long deadline = System.nanoTime() + kafka.timeout().multipliedBy(3).toNanos();
        for (int i = 0; i < valid.size(); i++) {
            RecordMetadata metadata = await(acks.get(i), deadline, valid.get(i).jobId());
            sent.add(new SentJob(valid.get(i).jobId(), metadata.topic(), metadata.partition(), metadata.offset()));
        }
        return sent;
    }

    private RecordMetadata await(Future<RecordMetadata> ack, long deadline, String jobId) {
        try {
            return ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw unreachable(timeout);
            }
            throw new IllegalStateException("Kafka did not take job " + jobId + " on " + topic + ": "
                    + KafkaConnection.rootMessage(e.getCause()), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "job " + jobId + " was not acknowledged", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending job " + jobId, e);
        }
    }

    private KafkaUnreachableException unreachable(TimeoutException e) {
        return new KafkaUnreachableException(kafka, KafkaConnection.rootMessage(e)
                + " (does topic " + topic + " exist? create it with: troupe topics create)", e);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
