package dev.troupe.bench;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the Kafka producers of a system under test report about themselves (their JMX metrics,
 * {@code kafka.producer:type=producer-metrics}): how many records each request carried and how long a
 * record waited, in the client's own sampled window (30 s by default, so about the measurement).
 */
final class ProducerMetrics {

    /** The attributes read, as the client names them: rates per second, times in milliseconds. */
    static final List<String> ATTRIBUTES = List.of("record-send-rate", "request-rate", "records-per-request-avg",
            "record-queue-time-avg", "request-latency-avg", "request-latency-max");

    private ProducerMetrics() {
    }

    /**
     * @param selected which producers, by client id
     * @param group    the name a producer is reported under (its client id without what differs per measurement)
     * @return attribute values by producer; empty where JMX has none
     */
    static Map<String, Map<String, Double>> read(Predicate<String> selected, Function<String, String> group) {
        Map<String, Map<String, Double>> byProducer = new TreeMap<>();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : server.queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=*"), null)) {
                String clientId = name.getKeyProperty("client-id");
                if (clientId == null || !selected.test(clientId)) {
                    continue;
                }
                Map<String, Double> values = new TreeMap<>();
                for (String attribute : ATTRIBUTES) {
                    Object value = server.getAttribute(name, attribute);
                    if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                        values.put(attribute, number.doubleValue());
                    }
                }
                byProducer.put(group.apply(clientId), Collections.unmodifiableMap(values));
            }
        } catch (Exception e) {
            // JMX off or a client closing meanwhile: the figures are extras, the window stands without them.
            return Map.of();
        }
        return Collections.unmodifiableMap(byProducer);
    }
}
