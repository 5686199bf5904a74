package dev.troupe.bench.pc;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes one result per job to the results topic (key = jobId bytes, value = {@link JobCodec#encodeResult}).
 * The future completes only when the producer's callback says the broker has the record, so Parallel
 * Consumer counts the job's record as done (and may commit its offset) only after its result is in Kafka.
 */
final class ResultPublisher {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final JobCodec codec;

    ResultPublisher(Producer<byte[], byte[]> producer, String topic, JobCodec codec) {
        this.producer = producer;
        this.topic = topic;
        this.codec = codec;
    }

    /** Completed on the producer's I/O thread once acknowledged; failed if the send fails (PC then retries the record). */
    Future<Void> publish(JobResult result) {
        Promise<Void> acked = Promise.promise();
        try {
            producer.send(new ProducerRecord<>(topic, result.jobId().getBytes(StandardCharsets.UTF_8), codec.encodeResult(result)),
                    (metadata, error) -> {
                        if (error == null) {
                            acked.complete();
                        } else {
                            acked.fail(error);
                        }
                    });
        } catch (RuntimeException e) {
            acked.tryFail(e);
        }
        return acked.future();
    }
}
