package dev.troupe.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link KafkaCluster} of this test JVM ({@link JvmKafkaCluster}): started on first
 * use, shared by every test class and by tests of other engines (jqwik), stopped when the JVM exits.
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

    private volatile KafkaCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = JvmKafkaCluster.get();
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
        return JvmKafkaCluster.get();
    }

    /** How many clusters this JVM started: one, however many classes (and engines) use it. */
    static int starts() {
        return JvmKafkaCluster.starts();
    }
}
