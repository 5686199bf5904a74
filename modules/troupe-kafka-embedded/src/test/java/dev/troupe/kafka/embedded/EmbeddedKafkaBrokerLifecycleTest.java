package dev.troupe.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerLifecycleTest {

    @Test
    void restartOnAPersistentDirectoryKeepsTheRecordsAndTheCluster(@TempDir Path dir) throws Exception {
        Map<String, String> journal = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            journal.put("job-" + i, "SUBMITTED gen-" + i);
        }
        String clusterId;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withDataDirectory(dir))) {
            first.createTopics(Map.of("troupe.state", 2));
            TopicRecords.produce(first.bootstrapServers(), "troupe.state", journal);
            clusterId = clusterId(first);
        }

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withDataDirectory(dir))) {
            assertThat(clusterId(second)).isEqualTo(clusterId);
            assertThat(TopicRecords.readAll(second.bootstrapServers(), "troupe.state"))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(journal.entrySet().stream()
                            .map(e -> org.assertj.core.groups.Tuple.tuple(e.getKey(), e.getValue())).toList());
        }
        assertThat(dir.resolve("meta.properties")).exists();
    }

    @Test
    void twoBrokersInOneJvmKeepTheirRecordsApart() {
        try (EmbeddedKafkaBroker a = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
             EmbeddedKafkaBroker b = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            assertThat(a.bootstrapServers()).isNotEqualTo(b.bootstrapServers());
            assertThat(a.dataDirectory()).isNotEqualTo(b.dataDirectory());

            a.createTopics(Map.of("troupe.jobs", 1));
            b.createTopics(Map.of("troupe.jobs", 1));
            TopicRecords.produce(a.bootstrapServers(), "troupe.jobs", Map.of("job-1", "from-a"));
            TopicRecords.produce(b.bootstrapServers(), "troupe.jobs", Map.of("job-1", "from-b"));

            assertThat(TopicRecords.readAll(a.bootstrapServers(), "troupe.jobs")).extracting(ConsumerRecord::value).containsExactly("from-a");
            assertThat(TopicRecords.readAll(b.bootstrapServers(), "troupe.jobs")).extracting(ConsumerRecord::value).containsExactly("from-b");
        }
    }

    @Test
    void closeDeletesTheTemporaryDirectoryAndCanBeRepeated() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
        Path dir = broker.dataDirectory();
        assertThat(dir.resolve("meta.properties")).exists();

        broker.close();
        broker.close();

        assertThat(Files.exists(dir)).isFalse();
        assertThatThrownBy(() -> broker.createTopics(Map.of("late", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aTakenClientPortFailsTheStartAndNamesThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withClientPort(port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }

    private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.describeCluster().clusterId().get();
        }
    }
}
