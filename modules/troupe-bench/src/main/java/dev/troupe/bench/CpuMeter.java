package dev.troupe.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used over an interval, in cores: by this benchmark (this JVM: broker, simulator, system under
 * test and harness, plus the kernel's interrupt work, mostly loopback networking), taken by the
 * hypervisor for other virtual machines (steal), and by other processes on this machine. The last two
 * show when something competed with a measurement. Linux only (/proc/stat); elsewhere they read 0.
 */
final class CpuMeter {

    private CpuMeter() {
    }

    /** One reading; compare two with {@link #between}. Ticks are /proc/stat's aggregate cpu line. */
    record Reading(long wallNanos, long processCpuNanos, long userSystemTicks, long interruptTicks, long stealTicks,
            long totalTicks) {}

    /** Cores busy over an interval. */
    record Use(double benchCores, double stealCores, double otherCores) {

        static final Use NONE = new Use(0, 0, 0);

        /** Steal and other processes together: what competed with the benchmark. */
        double competingCores() {
            return stealCores + otherCores;
        }
    }

    static Reading read() {
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long[] t = new long[9];
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < fields.length && i < t.length; i++) {
                t[i] = Long.parseLong(fields[i]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        // cpu user nice system idle iowait irq softirq steal
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += t[i];
        }
        return new Reading(System.nanoTime(), process, t[1] + t[2] + t[3], t[6] + t[7], t[8], total);
    }

    static Use between(Reading from, Reading to) {
        double wall = to.wallNanos() - from.wallNanos();
        long total = to.totalTicks() - from.totalTicks();
        if (wall <= 0) {
            return Use.NONE;
        }
        double process = (to.processCpuNanos() - from.processCpuNanos()) / wall;
        if (total <= 0) {
            return new Use(process, 0, 0);
        }
        double cores = Runtime.getRuntime().availableProcessors();
        double userSystem = share(from.userSystemTicks(), to.userSystemTicks(), total) * cores;
        double interrupts = share(from.interruptTicks(), to.interruptTicks(), total) * cores;
        double steal = share(from.stealTicks(), to.stealTicks(), total) * cores;
        return new Use(process + interrupts, steal, Math.max(0, userSystem - process));
    }

    private static double share(long from, long to, long total) {
        return (double) (to - from) / total;
    }
}
