package dev.troupe.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Heap in use right after full collections, resident memory and live threads of this JVM. With the
 * whole heap committed and touched at start ({@code bench/run}: -Xms = -Xmx, AlwaysPreTouch),
 * resident memory grows only off the heap.
 */
record HeapReading(long heapUsed, long rss, int threads) {

    static HeapReading afterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // Twice: objects with finalizers or references cleared by the first collection go in the second.
        memory.gc();
        TimeUnit.MILLISECONDS.sleep(200);
        memory.gc();
        return new HeapReading(memory.getHeapMemoryUsage().getUsed(), residentBytes(), liveThreads());
    }

    static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
