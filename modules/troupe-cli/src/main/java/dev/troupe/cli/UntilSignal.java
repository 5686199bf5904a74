package dev.troupe.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command (worker, sim, demo --keep-running) alive until Ctrl-C or SIGTERM, then cleans up. */
public final class UntilSignal {

    private UntilSignal() {
    }

    /**
     * Blocks the calling thread until the JVM is asked to stop; {@code cleanup} runs in the shutdown
     * hook, and the JVM exits when it returns.
     */
    public static void await(Runnable cleanup) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cleanup.run();
            } finally {
                done.countDown();
            }
        }, "troupe-shutdown"));
        done.await();
    }
}
