package dev.troupe.testkit;

import java.util.concurrent.TimeUnit;

/** Short pauses between polls of something that becomes true on its own, up to a deadline. */
final class Deadlines {

    private Deadlines() {
    }

    static void pause(long deadlineNanos, String what) {
        if (System.nanoTime() >= deadlineNanos) {
            throw new IllegalStateException("Timed out waiting for " + what);
        }
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what, e);
        }
    }
}
