package dev.troupe.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running command (worker, sim, demo --keep-running) alive until Ctrl-C or SIGTERM, then
 * cleans up and exits 0 when the cleanup succeeded (1 when it threw): a worker that drained cleanly on
 * SIGTERM is a success, and Kubernetes reports any other code (the JVM's own is 143) as a failure.
 */
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
            int status = ExitCodes.FAILURE;
            try {
                cleanup.run();
                status = ExitCodes.OK;
            } catch (RuntimeException e) {
                System.err.println("troupe: stopping failed: " + e);
            } finally {
                done.countDown();
                System.out.flush();
                System.err.flush();
                // Only halt sets the status from a shutdown hook; everything worth doing has been done.
                Runtime.getRuntime().halt(status);
            }
        }, "troupe-shutdown"));
        done.await();
    }
}
