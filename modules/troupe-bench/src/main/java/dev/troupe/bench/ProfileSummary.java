package dev.troupe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a worker's CPU and allocations go, from a JFR recording ({@code settings=profile}): execution
 * samples by top frame (self), by method anywhere on the stack (total), by code area and by thread;
 * allocation samples by top frame of our code; GC pauses. As Markdown, {@code top} rows per table.
 */
final class ProfileSummary {

    /** Code areas by package prefix, first match wins; the order puts our code before what it calls. */
    private static final List<Map.Entry<String, String>> AREAS = List.of(
            Map.entry("dev.troupe.", "Troupe"),
            Map.entry("io.confluent.parallelconsumer.", "Parallel Consumer"),
            Map.entry("com.fasterxml.jackson.", "Jackson"),
            Map.entry("io.vertx.", "Vert.x"),
            Map.entry("io.netty.", "Netty"),
            Map.entry("org.apache.kafka.", "Kafka clients"),
            Map.entry("io.micrometer.", "Micrometer"),
            Map.entry("org.apache.logging.", "logging"),
            Map.entry("org.slf4j.", "logging"),
            Map.entry("sun.nio.", "JDK I/O"),
            Map.entry("java.util.concurrent.", "JDK concurrency"),
            Map.entry("java.", "JDK"),
            Map.entry("jdk.", "JDK"),
            Map.entry("sun.", "JDK"));

    private ProfileSummary() {
    }

    /**
     * The JDK's {@code profile} settings with Java execution sampled every {@code period}: its 10 ms gives
     * too few samples in a window of seconds. Written once into {@code directory}; returns its path.
     */
    static Path settings(Path directory, String period) throws IOException {
        Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
        String jfc = Files.readString(profile);
        String sampled = jfc.replaceFirst("(?s)(<event name=\"jdk.ExecutionSample\">.*?<setting name=\"period\"[^>]*>)[^<]*(</setting>)",
                "$1" + period.replace("ms", " ms") + "$2");
        if (sampled.equals(jfc)) {
            throw new IllegalStateException("no jdk.ExecutionSample period in " + profile);
        }
        Files.createDirectories(directory);
        Path settings = directory.resolve("profile-" + period + ".jfc").toAbsolutePath();
        Files.writeString(settings, sampled);
        return settings;
    }

    /** Events that started in [fromMillis, toMillis] (epoch) only: the measured window, not start-up and shut-down. */
    static String markdown(Path recording, String title, int top, long fromMillis, long toMillis) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> areas = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocationsBySite = new HashMap<>();
        Map<String, Long> allocationsByClass = new HashMap<>();
        long samples = 0;
        long allocatedWeight = 0;
        long gcPauses = 0;
        long gcPauseNanos = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            long at = e.getStartTime().toEpochMilli();
            if (at < fromMillis || at > toMillis) {
                continue;
            }
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    RecordedStackTrace stack = e.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = stack.getFrames();
                    self.merge(method(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        String m = method(f);
                        if (seen.add(m)) {
                            total.merge(m, 1L, Long::sum);
                        }
                    }
                    areas.merge(area(frames.get(0)), 1L, Long::sum);
                    RecordedThread thread = e.getThread("sampledThread");
                    threads.merge(threadGroup(thread == null ? "?" : thread.getJavaName()), 1L, Long::sum);
                }
                case "jdk.ObjectAllocationSample" -> {
                    long weight = e.getLong("weight");
                    allocatedWeight += weight;
                    RecordedStackTrace stack = e.getStackTrace();
                    allocationsBySite.merge(stack == null ? "?" : allocationSite(stack.getFrames()), weight, Long::sum);
                    allocationsByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                }
                case "jdk.GarbageCollection" -> {
                    gcPauses++;
                    gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
                }
                default -> {
                    // not summarised
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(title).append("\n\n");
        out.append(String.format(Locale.ROOT, "%,d execution samples; %,d GC pauses, %.0f ms in all; allocation samples weigh %s.%n%n",
                samples, gcPauses, gcPauseNanos / 1e6, Format.mebibytes(allocatedWeight)));
        table(out, "CPU by code area (the sampled frame's package)", "area", areas, samples, top);
        table(out, "CPU by thread", "thread", threads, samples, top);
        table(out, "Top frames, self (the method running when sampled)", "method", self, samples, top);
        table(out, "Top Troupe methods, total (anywhere on the stack)", "method", filter(total, "dev.troupe."), samples, top);
        table(out, "Allocations by the nearest Troupe frame (JFR's allocation samples, by weight)", "site", allocationsBySite,
                allocatedWeight, top);
        table(out, "Allocations by class (by weight)", "class", allocationsByClass, allocatedWeight, top);
        return out.toString();
    }

    private static Map<String, Long> filter(Map<String, Long> counts, String prefix) {
        Map<String, Long> kept = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    private static void table(StringBuilder out, String caption, String what, Map<String, Long> counts, long all, int top) {
        out.append(caption).append("\n\n| ").append(what).append(" | share |\n|---|---|\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", e.getKey(), all == 0 ? 0 : 100.0 * e.getValue() / all)));
        out.append('\n');
    }

    /** Type and method, a lambda's generated class name shortened to where it was written. */
    private static String method(RecordedFrame f) {
        return LAMBDA.matcher(f.getMethod().getType().getName()).replaceAll("\\$\\$Lambda") + "." + f.getMethod().getName();
    }

    private static final java.util.regex.Pattern LAMBDA = java.util.regex.Pattern.compile("\\$\\$Lambda.*$");

    private static String area(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        for (Map.Entry<String, String> a : AREAS) {
            if (type.startsWith(a.getKey())) {
                return a.getValue();
            }
        }
        return "other";
    }

    /** The first of our frames from the top (what in Troupe asked for the memory), else the top frame. */
    private static String allocationSite(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            if (f.getMethod().getType().getName().startsWith("dev.troupe.")) {
                return method(f);
            }
        }
        return frames.isEmpty() ? "?" : method(frames.get(0));
    }

    /** Thread names without their numbers, so a pool's threads add up. */
    private static String threadGroup(String name) {
        return name.replaceAll("\\d+", "N");
    }
}
