package dev.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

class VertxBlockedThreadGuardTest {

    @Test
    void aTestThatBlocksAnEventLoopFailsAndOneThatDoesNotPasses() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(GuardedTests.class))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("blocksTheEventLoop"),
                finishedWithFailure(instanceOf(AssertionError.class),
                        message(m -> m.startsWith("Vert.x thread vert.x-eventloop-thread-")
                                && m.contains("limit 200 ms")
                                && m.contains("during blocksTheEventLoop(Vertx)")))));
        Throwable failure = tests.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        // The cause carries the blocked thread's stack: the report points at the blocking call.
        assertThat(failure.getCause().getStackTrace())
                .anyMatch(frame -> frame.getMethodName().contains("blockAnEventLoop"));
    }

    @Test
    void blockingOutsideTheTestsFailsTheClass() {
        Events containers = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(BlocksInBeforeAll.class))
                .execute()
                .containerEvents();

        containers.assertThatEvents().haveExactly(1, event(container(BlocksInBeforeAll.class),
                finishedWithFailure(message(m -> m.contains("(outside its tests)")))));
    }

    @Test
    void reportsAreBlamedOnTheStretchDuringWhichTheyHappened() throws Exception {
        try (GuardedVertx guarded = GuardedVertx.start(VertxBlockedThreadGuard.Limits.defaults())) {
            BlockedThreadLog log = guarded.log();

            log.testStarted();
            blockAnEventLoop(guarded.vertx(), Duration.ofMillis(500));
            // The checker's last report can land just after the block ends on a loaded machine: wait
            // until the count stops moving, so that it is not blamed on the calm stretch below.
            AtomicInteger seen = new AtomicInteger(-1);
            await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(5))
                    .until(() -> {
                        int now = log.pendingCount();
                        return now >= 1 && now == seen.getAndSet(now);
                    });
            BlockedThreadLog.Reports blocked = log.testEnded();

            assertThat(blocked.count()).isGreaterThanOrEqualTo(1);
            assertThat(blocked.kept()).allSatisfy(report -> {
                assertThat(report.threadName()).startsWith("vert.x-eventloop-thread-");
                assertThat(report.blockedFor()).isGreaterThanOrEqualTo(report.limit());
            });
            assertThatThrownBy(() -> BlockedThreadLog.assertNone(blocked, "the blocking stretch"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("during the blocking stretch");

            log.testStarted();
            runTimersOnTheEventLoop(guarded.vertx(), 5, Duration.ofMillis(100));
            BlockedThreadLog.Reports calm = log.testEnded();

            assertThat(calm.isEmpty()).isTrue();
            BlockedThreadLog.assertNone(calm, "the calm stretch");
            assertThat(log.outsideTests().isEmpty()).isTrue();
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new VertxBlockedThreadGuard.Limits(Duration.ZERO, Duration.ofMillis(200), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkInterval");
    }

    /** Blocks an event loop on purpose, then waits (off the event loop) until the block ended. */
    static void blockAnEventLoop(Vertx vertx, Duration duration) throws Exception {
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(ignored -> {
            try {
                Thread.sleep(duration.toMillis());
                done.complete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.fail(e);
            }
        });
        done.future().await(10, TimeUnit.SECONDS);
    }

    /** Keeps an event loop busy with short, non-blocking timer callbacks. */
    static void runTimersOnTheEventLoop(Vertx vertx, int timers, Duration each) {
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < timers; i++) {
            chain = chain.compose(ignored -> vertx.timer(each.toMillis(), TimeUnit.MILLISECONDS).mapEmpty());
        }
        Future<Void> done = chain;
        await().atMost(Duration.ofSeconds(10)).until(done::isComplete);
        assertThat(done.succeeded()).isTrue();
    }

    /** Run only through the engine test kit above (Surefire skips nested classes). */
    @ExtendWith(VertxBlockedThreadGuard.class)
    static class GuardedTests {

        @Test
        void blocksTheEventLoop(Vertx vertx) throws Exception {
            blockAnEventLoop(vertx, Duration.ofMillis(500));
        }

        @Test
        void staysOffTheEventLoopWhileWaiting(Vertx vertx) {
            runTimersOnTheEventLoop(vertx, 5, Duration.ofMillis(100));
        }
    }

    /** Run only through the engine test kit above. */
    @ExtendWith(VertxBlockedThreadGuard.class)
    static class BlocksInBeforeAll {

        @BeforeAll
        static void blockWhileSettingUp(Vertx vertx) throws Exception {
            blockAnEventLoop(vertx, Duration.ofMillis(500));
        }

        @Test
        void doesNothing() {
            assertThat(true).isTrue();
        }
    }
}
