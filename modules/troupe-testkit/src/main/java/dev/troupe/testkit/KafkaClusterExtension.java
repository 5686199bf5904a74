package dev.troupe.testkit;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link KafkaCluster} of this test JVM: started on first use, shared by every
 * test class, stopped by JUnit when the run ends.
 *
 * <pre>{@code
 * @ExtendWith(KafkaClusterExtension.class)
 * class JobFlowTest {
 *     @Test
 *     void resultFollowsJob(KafkaCluster kafka) {
 *         String jobs = kafka.uniqueTopic("jobs");
 *         kafka.createTopic(jobs, 3);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * With {@code @RegisterExtension static KafkaClusterExtension kafka = new KafkaClusterExtension();}
 * the cluster is also available as {@code kafka.cluster()} from {@code @BeforeAll} on.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaClusterExtension.class);
    private static final String KEY = "kafka-cluster";
    private static final AtomicInteger STARTS = new AtomicInteger();

    private volatile KafkaCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = shared(context);
    }

    /** The shared cluster, once JUnit has run this extension's {@code beforeAll}. */
    public KafkaCluster cluster() {
        KafkaCluster current = cluster;
        if (current == null) {
            throw new IllegalStateException("No cluster yet: register the extension on a static field "
                    + "and use it from @BeforeAll on, or take KafkaCluster as a parameter");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    /** How many clusters this JVM's extension started: one, however many classes use it. */
    static int starts() {
        return STARTS.get();
    }

    private static KafkaCluster shared(ExtensionContext context) {
        // The root store lives as long as the test run and closes its AutoCloseable values at the end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, key -> {
                    STARTS.incrementAndGet();
                    return KafkaClusterProvisioning.provision(System.getenv());
                }, SharedKafkaCluster.class)
                .cluster();
    }
}
