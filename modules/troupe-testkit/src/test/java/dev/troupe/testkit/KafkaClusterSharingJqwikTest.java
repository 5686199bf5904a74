package dev.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * jqwik runs no Jupiter extension, so its properties take the cluster from {@link JvmKafkaCluster}; it
 * must be the one the Jupiter classes of this JVM get, whichever engine Surefire runs first.
 */
class KafkaClusterSharingJqwikTest {

    private KafkaCluster kafka;

    @BeforeProperty
    void attach() {
        kafka = JvmKafkaCluster.get();
    }

    @Property(tries = 3)
    void aPropertyGetsTheOneClusterOfThisJvm(@ForAll @IntRange(min = 1, max = 3) int partitions) {
        assertThat(SeenClusters.see(kafka)).isEqualTo(1);
        assertThat(JvmKafkaCluster.starts()).isEqualTo(1);
        String topic = kafka.uniqueTopic("jqwik");
        kafka.createTopic(topic, partitions);

        kafka.produce(topic, "job-1", "queued");

        assertThat(kafka.readAll(topic)).extracting(ConsumerRecord::value).containsExactly("queued");
    }
}
