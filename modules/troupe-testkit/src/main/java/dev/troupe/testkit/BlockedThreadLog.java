package dev.troupe.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.vertx.core.internal.threadchecker.BlockedThreadEvent;

/**
 * What Vert.x's blocked-thread checker reported, with the blocked thread's stack at that moment,
 * sorted into "during a test" and "outside the tests" (the class's tests run one at a time).
 * The checker reports a thread again at every check while it stays blocked, so details are capped.
 */
final class BlockedThreadLog {

    private static final int CAPACITY = 1_000;

    /** One report: which thread, how long it had been blocked, its limit, where it was. */
    record BlockedThread(String threadName, Duration blockedFor, Duration limit, StackTraceElement[] stack) {
    }

    /** Reports of one stretch of time; {@code count} includes those past the cap. */
    record Reports(List<BlockedThread> kept, int count) {

        boolean isEmpty() {
            return count == 0;
        }
    }

    private final List<BlockedThread> pending = new ArrayList<>();
    private int pendingCount;
    private final List<BlockedThread> outsideTests = new ArrayList<>();
    private int outsideCount;

    /** Called on the checker's timer thread. */
    void record(BlockedThreadEvent event) {
        record(new BlockedThread(event.thread().getName(), Duration.ofNanos(event.duration()),
                Duration.ofNanos(event.maxExecTime()), event.thread().getStackTrace()));
    }

    synchronized void record(BlockedThread report) {
        pendingCount++;
        if (pending.size() < CAPACITY) {
            pending.add(report);
        }
    }

    synchronized int pendingCount() {
        return pendingCount;
    }

    /** A test starts: what was reported until now happened outside the tests. */
    synchronized void testStarted() {
        movePendingOutside();
    }

    /** A test ended: what was reported since it started is its doing. */
    synchronized Reports testEnded() {
        Reports reports = new Reports(List.copyOf(pending), pendingCount);
        pending.clear();
        pendingCount = 0;
        return reports;
    }

    /** Everything not blamed on a test so far: setup, teardown, late reports. */
    synchronized Reports outsideTests() {
        movePendingOutside();
        Reports reports = new Reports(List.copyOf(outsideTests), outsideCount);
        outsideTests.clear();
        outsideCount = 0;
        return reports;
    }

    /** Fails with the longest block's thread, duration and stack when there is any report. */
    static void assertNone(Reports reports, String during) {
        if (reports.isEmpty()) {
            return;
        }
        if (reports.kept().isEmpty()) {
            throw new AssertionError(reports.count() + " blocked-thread reports during " + during);
        }
        BlockedThread longest = reports.kept().stream()
                .max(Comparator.comparing(BlockedThread::blockedFor))
                .orElseThrow();
        AssertionError error = new AssertionError("Vert.x thread " + longest.threadName() + " was blocked for "
                + longest.blockedFor().toMillis() + " ms (limit " + longest.limit().toMillis() + " ms) during "
                + during + "; " + reports.count() + " blocked-thread report(s) in all. The cause shows where it was.");
        error.initCause(new BlockedThreadStack(longest));
        throw error;
    }

    private void movePendingOutside() {
        outsideCount += pendingCount;
        for (BlockedThread report : pending) {
            if (outsideTests.size() < CAPACITY) {
                outsideTests.add(report);
            }
        }
        pending.clear();
        pendingCount = 0;
    }

    /** Carries the blocked thread's stack, so a test report shows the blocking call. */
    private static final class BlockedThreadStack extends Throwable {

        BlockedThreadStack(BlockedThread blocked) {
            super("Stack of " + blocked.threadName() + " while it was blocked", null, false, true);
            setStackTrace(blocked.stack());
        }
    }
}
