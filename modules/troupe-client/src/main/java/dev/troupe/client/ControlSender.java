package dev.troupe.client;

import dev.troupe.model.ControlCodec;
import dev.troupe.model.ControlCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes operators' commands to {@code troupe.control}, keyed by their target so that the compacted
 * topic keeps the latest per target; what {@code troupe cancel / pause / resume} (and the dashboard's
 * actions) send through.
 */
public final class ControlSender implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConnection kafka;
    private final String topic;
    private final ControlCodec codec = new ControlCodec();

    public ControlSender(KafkaConnection kafka, String controlTopic) {
        this.kafka = kafka;
        this.topic = controlTopic;
        this.producer = new KafkaProducer<>(JobSubmitter.acknowledgedProducer(kafka, "troupe-control"));
    }

    /** Sends the command and waits until Kafka has it. */
    public RecordMetadata send(ControlCommand command) {
        try {
            return producer.send(new ProducerRecord<>(topic, command.key().getBytes(StandardCharsets.UTF_8), codec.encode(command)))
                    .get(kafka.timeout().multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnreachableException(kafka, "the " + command.kind() + " of " + command.key() + " was not taken by "
                    + topic + ": " + KafkaConnection.rootMessage(e.getCause()), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "the " + command.kind() + " of " + command.key() + " was not acknowledged", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a command", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
