package dev.troupe.testkit;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.troupe.kafka.embedded.EmbeddedKafkaBroker;

/**
 * Chooses the cluster for a test JVM: the one {@code KAFKA_BOOTSTRAP_SERVERS} names, else a
 * Testcontainers Kafka when a Docker engine answers, else an in-JVM broker.
 */
final class KafkaClusterProvisioning {

    static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private KafkaClusterProvisioning() {
    }

    static SharedKafkaCluster provision(Map<String, String> environment) {
        String external = environment.get(BOOTSTRAP_ENV);
        if (external != null && !external.isBlank()) {
            return external(external.trim());
        }
        if (TestcontainersKafka.dockerAvailable()) {
            try {
                return TestcontainersKafka.start();
            } catch (RuntimeException | LinkageError e) {
                // Docker answered but the container did not come up (no image, no network): the
                // in-JVM broker still lets the tests run.
                System.err.println("troupe-testkit: Kafka container did not start (" + e + "); using the in-JVM broker");
            }
        }
        return embedded();
    }

    private static SharedKafkaCluster external(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.describeCluster().nodes().get(KafkaCluster.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(BOOTSTRAP_ENV + "=" + bootstrapServers + " names no reachable Kafka cluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reaching " + bootstrapServers, e);
        }
        // Someone else's cluster: closing it means closing our clients only.
        return new SharedKafkaCluster(new KafkaCluster(KafkaCluster.Source.EXTERNAL, bootstrapServers), () -> { });
    }

    private static SharedKafkaCluster embedded() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
        return new SharedKafkaCluster(new KafkaCluster(KafkaCluster.Source.EMBEDDED, broker.bootstrapServers()), broker::close);
    }
}
