package dev.troupe.bench;

import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.worker.WorkerConfig;
import dev.troupe.worker.budget.BudgetPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Troupe or the blocking baseline in a JVM of its own, for the head-to-head rows ({@link VersusBench}):
 * the line protocol of /work/briefs/subject-protocol.md, which {@link SubjectProcess} speaks. Parallel
 * Consumer speaks the same from modules/troupe-bench-pc.
 *
 * <pre>java -Xmx1g -cp ... dev.troupe.bench.SubjectMain troupe|baseline key=value ...</pre>
 */
public final class SubjectMain {

    static final String READY = "ready";
    static final String STOPPED = "stopped";
    static final String HEAP = "heap";
    static final String STOP = "stop";

    private static final Set<String> KEYS = Set.of("bootstrap", "group", "jobs", "results", "dead-letter", "state", "budget",
            "givon", "api-key", "concurrency", "http-pool", "poll-initial-ms", "poll-max-ms", "poll-multiplier", "latency-ms",
            "workers", "max-unfinished");

    private SubjectMain() {
    }

    public static void main(String[] args) throws Exception {
        // stdout is the protocol: nothing else may print there.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Subject subject;
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException("the first argument must be troupe or baseline");
            }
            Map<String, String> keys = keys(args);
            Deployment d = deployment(keys);
            subject = switch (args[0]) {
                case "troupe" -> TroupeSubject.start(d);
                case "baseline" -> BlockingBaseline.start(d);
                default -> throw new IllegalArgumentException("the first argument must be troupe or baseline, got " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            System.err.println("subject: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            while (!subject.ready()) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            protocol.println(READY);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.trim().equals(STOP); line = in.readLine()) {
                if (line.trim().equals(HEAP)) {
                    protocol.println(HEAP + " " + heapAfterGc());
                }
            }
            subject.close();
            protocol.println(STOPPED);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("subject failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        TimeUnit.MILLISECONDS.sleep(200);
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static Map<String, String> keys(String[] args) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + args[i]);
            }
            String key = args[i].substring(0, equals);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key " + key + " (known: " + new java.util.TreeSet<>(KEYS) + ")");
            }
            keys.put(key, args[i].substring(equals + 1));
        }
        return keys;
    }

    /** The harness's keys as the in-JVM rows' {@link Deployment}; the poll schedule follows from L as {@link Latency} draws it. */
    private static Deployment deployment(Map<String, String> keys) {
        WorkerConfig.Topics topics = new WorkerConfig.Topics(required(keys, "jobs"), required(keys, "results"),
                required(keys, "dead-letter"), required(keys, "state"), required(keys, "budget"));
        int workers = Integer.parseInt(keys.getOrDefault("workers", "1"));
        String group = required(keys, "group");
        BenchKafka.Stage stage = new BenchKafka.Stage(group, topics, group, workers);
        String apiKey = keys.getOrDefault("api-key", SimulatorConfig.DEFAULT_API_KEY);
        if (!apiKey.equals(SimulatorConfig.DEFAULT_API_KEY)) {
            throw new IllegalArgumentException("api-key: only the simulator's default key is supported");
        }
        Latency latency = Latency.ofMillis(Long.parseLong(required(keys, "latency-ms")));
        Deployment d = new Deployment(stage, required(keys, "bootstrap"), required(keys, "givon"),
                Integer.parseInt(required(keys, "concurrency")), latency, workers, OptionalInt.empty(), BudgetPolicy.unlimited(),
                true, WorkerConfig.Results.DEFAULT.delivery());
        return keys.containsKey("max-unfinished") ? d.withMaxUnfinished(Integer.parseInt(keys.get("max-unfinished"))) : d;
    }

    private static String required(Map<String, String> keys, String key) {
        String value = keys.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing key " + key);
        }
        return value;
    }
}
