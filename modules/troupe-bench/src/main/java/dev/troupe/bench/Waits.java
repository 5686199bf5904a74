package dev.troupe.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** The harness's waiting, on its own (non-event-loop) thread: conditions with a deadline. */
final class Waits {

    private static final long STEP_MILLIS = 20;

    private Waits() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException, TimeoutException {
        until(what, timeout, Duration.ofMillis(STEP_MILLIS), condition);
    }

    /** With a longer step for conditions that are costly to evaluate. */
    static void until(String what, Duration timeout, Duration step, BooleanSupplier condition)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("waited " + timeout.toSeconds() + " s for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(step.toMillis());
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** The value once it has not changed for {@code quiet} (or when {@code max} has passed). */
    static long settled(LongSupplier value, Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long last = value.getAsLong();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(STEP_MILLIS);
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= quiet.toNanos()) {
                break;
            }
        }
        return last;
    }
}
