package dev.troupe.testkit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;

/** A Vert.x whose blocked-thread checker reports into a {@link BlockedThreadLog} instead of the log. */
final class GuardedVertx implements AutoCloseable {

    private final Vertx vertx;
    private final BlockedThreadLog log;

    private GuardedVertx(Vertx vertx, BlockedThreadLog log) {
        this.vertx = vertx;
        this.log = log;
    }

    /**
     * Netty's JFR event classes register with the flight recorder in their static initialiser, the
     * first time a buffer is freed: seen taking 2 s on an event loop of a loaded 2-core machine. That
     * is a once-per-JVM cost, not the code under test, so it is paid here, on the test thread.
     */
    private static final String[] ONE_TIME_INITIALISERS = {
            "io.netty.buffer.AllocateBufferEvent", "io.netty.buffer.FreeBufferEvent", "io.netty.buffer.ReallocateBufferEvent",
            "io.netty.buffer.AllocateChunkEvent", "io.netty.buffer.FreeChunkEvent"};

    private static void initialiseOnce() {
        for (String name : ONE_TIME_INITIALISERS) {
            try {
                Class.forName(name, true, GuardedVertx.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // Another Netty version: nothing to warm.
            }
        }
    }

    static GuardedVertx start(VertxBlockedThreadGuard.Limits limits) {
        initialiseOnce();
        VertxOptions options = new VertxOptions()
                .setBlockedThreadCheckInterval(limits.checkInterval().toMillis())
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(limits.maxEventLoopExecuteTime().toMillis())
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setMaxWorkerExecuteTime(limits.maxWorkerExecuteTime().toMillis())
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
        Vertx vertx = Vertx.vertx(options);
        BlockedThreadLog log = new BlockedThreadLog();
        // Vert.x 5's only hook for blocked-thread reports (internal API, as vertx-junit5 has none).
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(log::record);
        return new GuardedVertx(vertx, log);
    }

    Vertx vertx() {
        return vertx;
    }

    BlockedThreadLog log() {
        return log;
    }

    @Override
    public void close() throws TimeoutException {
        vertx.close().await(30, TimeUnit.SECONDS);
    }
}
