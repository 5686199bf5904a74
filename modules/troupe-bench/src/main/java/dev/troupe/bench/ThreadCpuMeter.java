package dev.troupe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * CPU time of the threads of one system under test, told apart from the broker, the simulator and the
 * harness sharing its JVM by thread name ({@link Subject#ownsThread}). {@link CpuMeter} counts the whole
 * process; this counts only Java threads, so garbage collection and the JIT (JVM-internal threads, and
 * the same for every system in the JVM) are not in it. A thread that ends inside the interval loses
 * what it used there; the subject's threads live for the whole window.
 */
final class ThreadCpuMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpuMeter() {
    }

    /** CPU nanoseconds so far of each live thread, by thread id, with its name. */
    record Reading(Map<Long, Thread> threads) {

        record Thread(String name, long cpuNanos) {}
    }

    /**
     * CPU seconds of the selected threads over an interval, and the same by group of threads.
     *
     * @param byGroup seconds by {@code group(threadName)}, e.g. every event loop of the subject together
     */
    record Use(double seconds, Map<String, Double> byGroup) {

        static final Use NONE = new Use(0, Map.of());
    }

    static boolean supported() {
        return THREADS.isThreadCpuTimeSupported();
    }

    static Reading read() {
        if (!supported()) {
            return new Reading(Map.of());
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        Map<Long, Reading.Thread> threads = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            // Null info or -1: the thread ended between the two calls.
            if (infos[i] != null && cpu >= 0) {
                threads.put(ids[i], new Reading.Thread(infos[i].getThreadName(), cpu));
            }
        }
        return new Reading(threads);
    }

    static Use between(Reading from, Reading to, Predicate<String> selected, Function<String, String> group) {
        double total = 0;
        Map<String, Double> byGroup = new TreeMap<>();
        for (Map.Entry<Long, Reading.Thread> e : to.threads().entrySet()) {
            Reading.Thread now = e.getValue();
            if (!selected.test(now.name())) {
                continue;
            }
            Reading.Thread before = from.threads().get(e.getKey());
            double seconds = (now.cpuNanos() - (before == null ? 0 : before.cpuNanos())) / 1e9;
            total += seconds;
            byGroup.merge(group.apply(now.name()), seconds, Double::sum);
        }
        return new Use(total, Collections.unmodifiableMap(byGroup));
    }

    /**
     * A thread's name with what differs between workers and measurements left out: the consumer group
     * and worker instance (Kafka clients and the consumer thread carry them) and a trailing number, so
     * that e.g. every event loop of the subject counts as one group.
     */
    static String groupName(String threadName, String groupId) {
        String name = threadName.replaceAll(Pattern.quote(groupId) + "(-[0-9a-f]{8})?", "<worker>");
        return name.replaceAll("-\\d+$", "-N");
    }
}
