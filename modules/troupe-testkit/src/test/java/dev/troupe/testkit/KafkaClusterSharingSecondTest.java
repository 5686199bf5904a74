package dev.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaClusterSharingSecondTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

    private static String topic;

    @BeforeAll
    static void createTopic() {
        topic = KAFKA.cluster().uniqueTopic("results");
        KAFKA.cluster().createTopic(topic, 1);
    }

    @Test
    void everyClassGetsTheOneClusterOfThisJvm(KafkaCluster kafka) {
        assertThat(kafka).isSameAs(KAFKA.cluster());
        assertThat(SeenClusters.see(kafka)).isEqualTo(1);
        assertThat(KafkaClusterExtension.starts()).isEqualTo(1);
    }

    @Test
    void readAllSeesCommittedTransactionsOnly() {
        KafkaCluster kafka = KAFKA.cluster();
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.uniqueTopic("tx"));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "job-1", "SUCCEEDED"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "job-2", "ABORTED"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "job-3", "SUCCEEDED"));
            producer.commitTransaction();
        }

        assertThat(kafka.readAll(topic)).extracting(ConsumerRecord::key).containsExactly("job-1", "job-3");
    }
}
