package dev.troupe.client;

import dev.troupe.client.results.TopicScan;
import dev.troupe.model.BatchCodec;
import dev.troupe.model.BatchCompletion;
import dev.troupe.model.BatchDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A batch's records on {@code troupe.batches} (key = batchId): {@link #send} writes its descriptor and
 * waits for Kafka to have it; {@link #read} finds its latest descriptor and its completion, reading
 * only the partition its key goes to.
 */
public final class BatchRecords {

    private static final BatchCodec CODEC = new BatchCodec();

    private BatchRecords() {
    }

    /** What {@code troupe.batches} holds of one batch, read_committed; either may be empty. */
    public record Found(Optional<BatchDescriptor> descriptor, Optional<BatchCompletion> completion) {}

    public static void send(KafkaConnection kafka, String batchesTopic, BatchDescriptor descriptor) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(JobSubmitter.acknowledgedProducer(kafka, "troupe-batch"))) {
            producer.send(new ProducerRecord<>(batchesTopic, descriptor.batchId().getBytes(StandardCharsets.UTF_8), CODEC.encode(descriptor)))
                    .get(kafka.timeout().multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnreachableException(kafka, "the descriptor of batch " + descriptor.batchId() + " was not taken by "
                    + batchesTopic + ": " + KafkaConnection.rootMessage(e.getCause()), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "the descriptor of batch " + descriptor.batchId() + " was not acknowledged", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a batch descriptor", e);
        }
    }

    public static Found read(KafkaConnection kafka, String batchesTopic, String batchId) {
        BatchDescriptor[] descriptor = new BatchDescriptor[1];
        BatchCompletion[] completion = new BatchCompletion[1];
        TopicScan.readKeyPartitionToEnd(kafka, batchesTopic, batchId.getBytes(StandardCharsets.UTF_8), "troupe-batch-reader", record -> {
            if (record.value() == null || record.key() == null
                    || !batchId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                return;
            }
            BatchCodec.Decoded decoded = CODEC.decode(record.value());
            if (decoded instanceof BatchCodec.Descriptor d) {
                descriptor[0] = d.descriptor();
            } else if (decoded instanceof BatchCodec.Completion c && completion[0] == null) {
                completion[0] = c.completion();
            }
        });
        return new Found(Optional.ofNullable(descriptor[0]), Optional.ofNullable(completion[0]));
    }
}
