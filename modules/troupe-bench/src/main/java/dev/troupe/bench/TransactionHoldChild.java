package dev.troupe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The child JVM of {@link TransactionHoldProbe}: a transactional producer that sends a few records to
 * partition 0 of a topic inside a transaction, flushes them, commits the transaction or leaves it open,
 * prints {@code READY <ms>} (the wall clock just before its first send) and waits to be killed. It ends
 * by itself when its standard input closes (the parent is gone), leaving its transaction as it was.
 *
 * <p>Arguments: bootstrap servers, topic, transactional id, transaction.timeout.ms, records,
 * {@code open} or {@code committed}.
 */
public final class TransactionHoldChild {

    private TransactionHoldChild() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: TransactionHoldChild BOOTSTRAP TOPIC TRANSACTIONAL_ID TIMEOUT_MS RECORDS open|committed");
            System.exit(2);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, args[2]);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, args[3]);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        String topic = args[1];
        int records = Integer.parseInt(args[4]);
        boolean commit = args[5].equals("committed");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        producer.beginTransaction();
        long firstSend = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(topic, 0, ("job-" + i).getBytes(StandardCharsets.UTF_8),
                    ("result-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        }
        System.out.println("READY " + firstSend);
        System.out.flush();
        // Waits for SIGKILL; never closes the producer, which would abort an open transaction at once.
        while (System.in.read() >= 0) {
            // nothing to read
        }
        Runtime.getRuntime().halt(0);
    }
}
