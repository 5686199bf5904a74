package dev.troupe.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine and JVM a run measured on. */
record MachineInfo(
        String cpuModel,
        int cores,
        long memoryBytes,
        String os,
        String java,
        long maxHeapBytes,
        List<String> jvmArguments,
        List<String> garbageCollectors) {

    static MachineInfo current() {
        return new MachineInfo(
                procField("/proc/cpuinfo", "model name"),
                Runtime.getRuntime().availableProcessors(),
                memTotal(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vm.vendor") + ")",
                Runtime.getRuntime().maxMemory(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readAllLines(Path.of("/proc/loadavg")).get(0).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static long memTotal() {
        String kb = procField("/proc/meminfo", "MemTotal");
        try {
            return Long.parseLong(kb.replaceAll("[^0-9]", "")) * 1024;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
