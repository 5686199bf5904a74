package dev.troupe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many platform threads this machine lets one process start: the blocking baseline needs one per
 * job in flight. Linux counts every thread against {@code kernel.pid_max} and {@code kernel.threads-max},
 * the per-user process limit, and each thread stack takes about two memory mappings of {@code vm.max_map_count}.
 */
final class ThreadLimits {

    private ThreadLimits() {
    }

    /** Why {@code threads} platform threads cannot run here, or null when the limits allow them. */
    static String whyNot(int threads) {
        List<String> reasons = new ArrayList<>();
        check(reasons, threads, "kernel.pid_max", read("/proc/sys/kernel/pid_max"));
        check(reasons, threads, "kernel.threads-max", read("/proc/sys/kernel/threads-max"));
        long maps = read("/proc/sys/vm/max_map_count");
        check(reasons, threads, "vm.max_map_count / 2 (a stack and its guard per thread)", maps < 0 ? -1 : maps / 2);
        check(reasons, threads, "max user processes (ulimit -u)", maxProcesses());
        return reasons.isEmpty() ? null
                : String.format(Locale.ROOT, "%,d platform threads exceed %s", threads, String.join(" and ", reasons));
    }

    private static void check(List<String> reasons, int threads, String name, long limit) {
        if (limit >= 0 && threads >= limit) {
            reasons.add(String.format(Locale.ROOT, "%s = %,d", name, limit));
        }
    }

    private static long read(String file) {
        try {
            // readAllLines: Files.readString stops after the first byte of a /proc file on JDK 17.
            return Long.parseLong(Files.readAllLines(Path.of(file)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long maxProcesses() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max processes")) {
                    String soft = line.substring("Max processes".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
