package dev.troupe.testkit;

import java.time.Duration;
import java.util.Objects;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.vertx.core.Vertx;

/**
 * Gives each test class a {@link Vertx} with a tight blocked-thread check and fails a test during
 * which the checker reported a blocked thread: "the event loop is never blocked" as a test outcome.
 *
 * <pre>{@code
 * @ExtendWith(VertxBlockedThreadGuard.class)
 * class JobRunnerTest {
 *     @Test
 *     void runsJobs(Vertx vertx) { ... }
 * }
 * }</pre>
 *
 * Defaults: checks every 100 ms, an event-loop task may run 200 ms, a worker task 10 s. A block is
 * always caught when it lasts longer than the limit plus one check interval. Other limits:
 * {@code @RegisterExtension static VertxBlockedThreadGuard vertx = new VertxBlockedThreadGuard(limits);}.
 * Reports seen outside a test (in {@code @BeforeAll}, {@code @AfterAll}, or after a test ended)
 * fail the class in {@code afterAll}. Reports are blamed on the running test, so a class's tests
 * must run one at a time (JUnit's default). The Vert.x instance is closed after the class.
 */
public final class VertxBlockedThreadGuard
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VertxBlockedThreadGuard.class);
    private static final String VERTX = "vertx";

    private final Limits limits;

    public VertxBlockedThreadGuard() {
        this(Limits.defaults());
    }

    public VertxBlockedThreadGuard(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(VERTX, GuardedVertx.start(limits));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        guarded(context).log().testStarted();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        BlockedThreadLog.assertNone(guarded(context).log().testEnded(), context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        BlockedThreadLog.assertNone(guarded(context).log().outsideTests(), context.getDisplayName() + " (outside its tests)");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Vertx.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return guarded(extensionContext).vertx();
    }

    private static GuardedVertx guarded(ExtensionContext context) {
        GuardedVertx guarded = context.getStore(NAMESPACE).get(VERTX, GuardedVertx.class);
        if (guarded == null) {
            throw new IllegalStateException("VertxBlockedThreadGuard has no Vert.x here: register it on the class "
                    + "(@ExtendWith or a static @RegisterExtension field)");
        }
        return guarded;
    }

    /**
     * How tight the check is.
     *
     * @param checkInterval           how often the checker looks
     * @param maxEventLoopExecuteTime how long one event-loop task may run
     * @param maxWorkerExecuteTime    how long one worker task may run
     */
    public record Limits(Duration checkInterval, Duration maxEventLoopExecuteTime, Duration maxWorkerExecuteTime) {

        public Limits {
            requirePositive(checkInterval, "checkInterval");
            requirePositive(maxEventLoopExecuteTime, "maxEventLoopExecuteTime");
            requirePositive(maxWorkerExecuteTime, "maxWorkerExecuteTime");
        }

        /** 100 ms checks, 200 ms per event-loop task, 10 s per worker task. */
        public static Limits defaults() {
            return new Limits(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(10));
        }

        private static void requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }
}
