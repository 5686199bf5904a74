package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import java.time.Duration;

/** Waits for a Vert.x future from a test thread (Awaitility, no sleeps) and checks secrets stay out of failures. */
final class AsyncResults {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private AsyncResults() {
    }

    static void waitFor(Future<?> future) {
        await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(future::isComplete);
    }

    static <T> T succeeded(Future<T> future) {
        waitFor(future);
        if (future.failed()) {
            fail("expected success but failed: " + future.cause(), future.cause());
        }
        return future.result();
    }

    /** The Givon error a future failed with, after checking that no secret appears in what a caller could print. */
    static GivonError failure(Future<?> future, String... secrets) {
        waitFor(future);
        assertThat(future.failed()).as("expected a failure but got %s", future.result()).isTrue();
        assertThat(future.cause()).isInstanceOf(GivonException.class);
        GivonException exception = (GivonException) future.cause();
        for (String secret : secrets) {
            assertThat(exception.getMessage()).doesNotContain(secret);
            assertThat(exception.toString()).doesNotContain(secret);
            assertThat(exception.error().toString()).doesNotContain(secret);
            assertThat(exception.error().describe()).doesNotContain(secret);
        }
        return exception.error();
    }
}
