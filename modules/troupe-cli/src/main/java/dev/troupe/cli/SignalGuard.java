package dev.troupe.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the JVM's exit on Ctrl-C / SIGTERM until the command has finished what it still owes (a
 * summary, an export, shutting its embedded broker down): the JVM halts as soon as its shutdown hooks
 * return, whatever the main thread is doing. Use with try-with-resources around that work.
 */
public final class SignalGuard implements AutoCloseable {

    /** Longest the exit is held: a command that hangs must not keep the process alive. */
    private static final long HOLD_SECONDS = 30;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::holdExit, "troupe-finish-before-exit");

    private SignalGuard() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static SignalGuard holdExitUntilClosed() {
        return new SignalGuard();
    }

    private void holdExit() {
        try {
            finished.await(HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        finished.countDown();
        removeHook(hook);
    }

    /** Removes a shutdown hook unless the JVM is already running them (then it has run or is running). */
    public static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }
}
