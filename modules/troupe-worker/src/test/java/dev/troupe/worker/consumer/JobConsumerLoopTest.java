package dev.troupe.worker.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.journal.JobJournal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The consumer loop on the real broker, with a sink that misbehaves. */
@ExtendWith(KafkaClusterExtension.class)
class JobConsumerLoopTest {

    @Test
    void aRecordWhoseHandOffThrowsDoesNotStopTheLoop(KafkaCluster kafka) throws Exception {
        String topic = kafka.uniqueTopic("loop");
        kafka.createTopic(topic, 1);
        List<String> delivered = new CopyOnWriteArrayList<>();
        ConsumerCommands commands = new ConsumerCommands();
        JobSink sink = new JobSink() {
            @Override
            public void restored(JournalRestore restore, long assignment, Runnable counted) {
            }

            @Override
            public void deliver(List<JobRecord> records) {
                for (JobRecord record : records) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    if (value.equals("poison")) {
                        throw new IllegalStateException("a record nobody foresaw");
                    }
                    delivered.add(value);
                }
            }

            @Override
            public void revoke(Collection<TopicPartition> partitions, Duration grace) {
                commands.handedBack(Set.copyOf(partitions));
            }

            @Override
            public int parkedRecords() {
                return 0;
            }

            @Override
            public long parkedBytes() {
                return 0;
            }
        };
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(kafka, topic));
        JobConsumerLoop loop = new JobConsumerLoop(consumer,
                new JobConsumerLoop.Settings(topic, 1_000, Long.MAX_VALUE, Duration.ofSeconds(5), Duration.ofSeconds(5)),
                sink, commands, JobJournal.disabled(), new OffsetCommits(consumer));
        Thread thread = new Thread(loop, "loop-under-test");
        thread.start();
        try {
            kafka.produce(topic, "k", "before");
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.contains("before"));
            kafka.produce(topic, "k", "poison");
            kafka.produce(topic, "k", "after");

            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.contains("after"));
            assertThat(loop.live()).isTrue();
        } finally {
            loop.requestStop();
            assertThat(loop.awaitStopped(Duration.ofSeconds(30))).isTrue();
        }
    }

    private static Properties consumerProperties(KafkaCluster kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-group");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One record per poll: the poison one is handed off alone, so "after" comes in a later batch.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        return p;
    }
}
