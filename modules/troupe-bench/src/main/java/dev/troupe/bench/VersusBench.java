package dev.troupe.bench;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.worker.limit.ConcurrencyConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Troupe, Parallel Consumer and the blocking baseline head to head, each in a JVM of its own
 * ({@code -Xmx1g}), on one broker (this JVM) and one simulator process per work point: jobs/s and
 * CPU per 1,000 jobs of every process from /proc, in rounds whose order alternates; then heap per job
 * in flight in the same child JVMs. {@code bench/run --only versus}; part of the full run.
 */
public final class VersusBench {

    /** One work point: the generation time L and the concurrency C. */
    record WorkPoint(Latency latency, int concurrency) {
        @Override
        public String toString() {
            return "L = " + latency + ", C = " + String.format(Locale.ROOT, "%,d", concurrency);
        }
    }

    /** One contender's run at one work point. */
    record Run(WorkPoint point, Contender contender, int round, int position, long jobs, double seconds,
            double subjectCpuSeconds, double subjectSystemCpuSeconds, double simulatorCpuSeconds, double brokerCpuSeconds, double requestsPerJob,
            double statusReadsPerJob, long duplicates, long rssBytes, long windowStartMillis, long windowEndMillis,
            String failure) {

        double jobsPerSecond() {
            return failure != null ? Double.NaN : jobs / seconds;
        }

        double perThousand(double cpuSeconds) {
            return failure != null ? Double.NaN : cpuSeconds * 1000 / jobs;
        }

        /** The worker's share of the CPU the three processes used in the window. */
        double subjectShare() {
            return failure != null ? Double.NaN : subjectCpuSeconds / (subjectCpuSeconds + simulatorCpuSeconds + brokerCpuSeconds);
        }
    }

    /** Heap per job in flight in one contender's JVM. */
    record MemoryRun(Contender contender, int inFlight, String arrangement, long heapBefore, long heapAfter, long rssBefore,
            long rssAfter, long atGivon, String failure) {
        double heapPerJob() {
            return failure != null ? Double.NaN : (heapAfter - heapBefore) / (double) inFlight;
        }

        double rssPerJob() {
            return failure != null ? Double.NaN : (rssAfter - rssBefore) / (double) inFlight;
        }
    }

    private static final List<String> CHILD_JVM = List.of("-Xmx1g");
    private static final int JOB_PARTITIONS = 12;
    private static final int HTTP_POOL = 256;
    /** JFR's execution sampling period in the profile runs (its profile settings say 10 ms: too few samples in a 10 s window). */
    private static final String SAMPLE_PERIOD = "2ms";

    private final Options options;
    private final BenchKafka kafka;
    private final Progress progress = new Progress();
    private final Path logs;

    private VersusBench(Options options, BenchKafka kafka) {
        this.options = options;
        this.kafka = kafka;
        this.logs = Path.of(options.logDirectory);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("versus: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        Instant began = Instant.now();
        String loadAtStart = MachineInfo.loadAverage();
        List<Run> runs;
        List<MemoryRun> memory;
        try (BenchKafka kafka = BenchKafka.start()) {
            VersusBench bench = new VersusBench(options, kafka);
            if (options.profileLabel != null) {
                bench.profile();
                System.exit(0);
                return;
            }
            runs = bench.throughput();
            memory = bench.memory();
        }
        String report = VersusReport.markdown(options.describe(), began, Instant.now(), loadAtStart, MachineInfo.loadAverage(),
                options.contenders, runs, memory, options.jobs, options.warmup);
        System.out.println(report);
        Path results = Path.of(options.resultsDirectory);
        Files.createDirectories(results);
        String stamp = began.truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-');
        String name = options.quick ? "versus-latest-quick.md" : "versus-latest.md";
        Files.writeString(results.resolve(name), report, StandardCharsets.UTF_8);
        if (!options.quick) {
            Files.writeString(results.resolve("versus-" + stamp + ".md"), report, StandardCharsets.UTF_8);
        }
        System.err.println("versus: written " + results.resolve(name));
        System.exit(0);
    }

    private List<Run> throughput() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (WorkPoint point : options.points) {
            progress.say("%s: simulator starting", point);
            try (SimulatorProcess simulator = SimulatorProcess.start(point.latency())) {
                for (int round = 1; round <= options.pairs; round++) {
                    List<Contender> order = new ArrayList<>(options.contenders);
                    if (round % 2 == 0) {
                        java.util.Collections.reverse(order);
                    }
                    for (int position = 0; position < order.size(); position++) {
                        Run run = run(point, order.get(position), round, position + 1, simulator, CHILD_JVM);
                        runs.add(run);
                        progress.say("%s round %d %s: %s", point, round, run.contender().label(), run.failure() != null
                                ? "FAILED: " + run.failure()
                                : String.format(Locale.ROOT, "%s jobs/s, worker %s s / 1,000 jobs, %.2f requests/job",
                                        Format.rate(run.jobsPerSecond()), Format.seconds(run.perThousand(run.subjectCpuSeconds())),
                                        run.requestsPerJob()));
                    }
                }
            }
        }
        return runs;
    }

    private Run run(WorkPoint point, Contender who, int round, int position, SimulatorProcess simulator, List<String> jvm)
            throws Exception {
        String why = who.whyNot();
        if (why != null) {
            return failed(point, who, round, position, "not run: " + why);
        }
        BenchKafka.Stage stage = kafka.stage("versus-" + who.flag(), JOB_PARTITIONS);
        long total = options.warmup + options.jobs;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("versus-feed")) {
            JobFeed.exactly(producer, stage.topics().jobs(), stage.name(), total).awaitDone(120_000);
        }
        LedgerSnapshot before = simulator.ledger();
        Path log = logs.resolve(stage.name() + ".log");
        try (SubjectProcess subject = SubjectProcess.start(who, jvm, keys(who, stage, simulator, point, 1), log)) {
            try (ResultWindow window = new ResultWindow(kafka.bootstrapServers(), stage.topics().results(), options.warmup, total,
                    () -> new ResultWindow.Meters(subject.cpuNanos(), subject.systemCpuNanos(), simulator.cpuNanos(), ownCpuNanos()))) {
                subject.awaitReady(Duration.ofSeconds(60));
                Duration timeout = Duration.ofSeconds(Math.max(120, total / 200));
                if (!window.await(timeout)) {
                    return failed(point, who, round, position, String.format(Locale.ROOT, "%,d of %,d results in %d s; %s",
                            window.records(), total, timeout.toSeconds(), subject.tail()));
                }
                ResultWindow.Mark start = window.start();
                ResultWindow.Mark end = window.end();
                ResultWindow.Meters used = end.meters().minus(start.meters());
                LedgerSnapshot after = simulator.ledger();
                long requests = after.totalResponses() - before.totalResponses();
                long reads = after.responses(200) - before.responses(200);
                window.close();
                return new Run(point, who, round, position, end.distinctJobs() - start.distinctJobs(),
                        (end.nanoTime() - start.nanoTime()) / 1e9, used.subjectCpu() / 1e9, used.subjectSystemCpu() / 1e9, used.simulatorCpu() / 1e9,
                        used.brokerCpu() / 1e9, requests / (double) total, reads / (double) total,
                        window.records() - window.distinctJobs(), subject.residentBytes(), start.epochMillis(), end.epochMillis(), null);
            }
        } catch (Exception e) {
            return failed(point, who, round, position, e.toString());
        } finally {
            kafka.drop(stage);
        }
    }

    /**
     * One run of Troupe and of Parallel Consumer at each work point with a flight recording
     * ({@code settings=profile}), summarised by {@link ProfileSummary} into bench/results/profile-LABEL.md.
     * Not a measured run: the recording costs CPU of its own.
     */
    private void profile() throws Exception {
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "Where the worker's CPU goes (%s), %s%s: JFR execution samples (settings=profile, a sample every %s per thread running Java "
                        + "code) and allocation samples, from the %,d-th result to the last of %,d, each system in its own JVM (-Xmx1g) as in the "
                        + "head-to-head rows.%nCommand: `%s`%n%n", options.profileLabel, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                System.getenv("BENCH_COMMIT") == null ? "" : ", commit " + System.getenv("BENCH_COMMIT"), SAMPLE_PERIOD,
                options.warmup, options.warmup + options.jobs,
                options.describe()));
        for (WorkPoint point : options.points) {
            try (SimulatorProcess simulator = SimulatorProcess.start(point.latency())) {
                for (Contender who : options.contenders) {
                    if (who == Contender.BASELINE) {
                        continue;
                    }
                    Path recording = logs.resolve(String.format(Locale.ROOT, "profile-%s-%s-L%d-C%d.jfr", options.profileLabel, who.flag(),
                            point.latency().millis(), point.concurrency())).toAbsolutePath();
                    Files.createDirectories(recording.getParent());
                    Files.deleteIfExists(recording);
                    List<String> jvm = new ArrayList<>(CHILD_JVM);
                    jvm.add("-XX:StartFlightRecording=settings=" + ProfileSummary.settings(logs, SAMPLE_PERIOD) + ",dumponexit=true,filename="
                            + recording);
                    Run run = run(point, who, 1, 1, simulator, jvm);
                    progress.say("profile %s %s: %s", point, who.label(), run.failure() != null ? run.failure()
                            : Format.rate(run.jobsPerSecond()) + " jobs/s with the recording on");
                    if (run.failure() != null || !Files.exists(recording)) {
                        report.append(String.format(Locale.ROOT, "## %s, %s%n%nnot profiled: %s%n%n", who.label(), point,
                                run.failure() != null ? run.failure() : "no recording written"));
                        continue;
                    }
                    String title = String.format(Locale.ROOT, "## %s, %s (%s jobs/s while recorded; %s)%n%n%s's CPU in the window: %s s "
                                    + "per 1,000 jobs, %.0f%% of it in the kernel (system time: sockets, epoll, futexes), which JFR's "
                                    + "execution samples do not see.", who.label(), point, Format.rate(run.jobsPerSecond()),
                            recording.getFileName(), who.label(), Format.seconds(run.perThousand(run.subjectCpuSeconds())),
                            100 * run.subjectSystemCpuSeconds() / run.subjectCpuSeconds());
                    report.append(ProfileSummary.markdown(recording, title, 15, run.windowStartMillis(), run.windowEndMillis()));
                }
            }
        }
        Path results = Path.of(options.resultsDirectory);
        Files.createDirectories(results);
        Path file = results.resolve("profile-" + options.profileLabel + ".md");
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
        System.out.println(report);
        System.err.println("versus: written " + file);
    }

    private static Run failed(WorkPoint point, Contender who, int round, int position, String why) {
        return new Run(point, who, round, position, 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, 0, 0, 0, 0, why);
    }

    /** The protocol's keys for one child ({@link SubjectMain}, troupe-bench-pc). */
    private Map<String, String> keys(Contender who, BenchKafka.Stage stage, SimulatorProcess simulator, WorkPoint point, int workers) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("bootstrap", kafka.bootstrapServers());
        keys.put("group", stage.groupId());
        keys.put("jobs", stage.topics().jobs());
        keys.put("results", stage.topics().results());
        keys.put("dead-letter", stage.topics().deadLetter());
        keys.put("state", stage.topics().state());
        keys.put("budget", stage.topics().budget());
        keys.put("givon", simulator.baseUrl());
        keys.put("api-key", SimulatorConfig.DEFAULT_API_KEY);
        keys.put("concurrency", Integer.toString(point.concurrency() / workers));
        keys.put("http-pool", Integer.toString(Math.min(point.concurrency(), HTTP_POOL)));
        var poll = point.latency().pollBackoff();
        keys.put("poll-initial-ms", millis(poll.initial()));
        keys.put("poll-max-ms", millis(poll.max()));
        keys.put("poll-multiplier", Double.toString(poll.multiplier()));
        keys.put("latency-ms", Long.toString(point.latency().millis()));
        if (who.eventLoops() > 1) {
            keys.put("event-loops", Integer.toString(who.eventLoops()));
        }
        if (workers > 1) {
            keys.put("workers", Integer.toString(workers));
            keys.put("max-unfinished", Integer.toString(point.concurrency() / workers));
        }
        return keys;
    }

    private static String millis(Duration d) {
        return Double.toString(d.toNanos() / 1e6);
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private List<MemoryRun> memory() {
        List<MemoryRun> rows = new ArrayList<>();
        for (int inFlight : options.memory) {
            for (Contender who : options.contenders) {
                MemoryRun row = memory(who, inFlight);
                rows.add(row);
                progress.say("memory %s %,d: %s", who.label(), inFlight, row.failure() != null ? row.failure()
                        : Format.bytes(row.heapPerJob()) + " bytes of heap per job in flight");
            }
        }
        return rows;
    }

    private MemoryRun memory(Contender who, int inFlight) {
        String why = who.whyNot();
        if (who == Contender.BASELINE && why == null) {
            String limit = ThreadLimits.whyNot(inFlight + 2_000);
            why = limit == null ? null : limit + " on this machine";
        }
        // One Troupe worker holds at most MAX_CONCURRENCY_CEILING at Givon: more go to workers in the same JVM.
        int workers = who.isTroupe() ? (inFlight + ConcurrencyConfig.MAX_CONCURRENCY_CEILING - 1)
                / ConcurrencyConfig.MAX_CONCURRENCY_CEILING : 1;
        String arrangement = switch (who) {
            case TROUPE, TROUPE_TWO_LOOPS -> workers == 1 ? "1 worker, C = " + String.format(Locale.ROOT, "%,d", inFlight)
                    : String.format(Locale.ROOT, "%d workers x C = %,d in one JVM", workers, inFlight / workers);
            case PARALLEL_CONSUMER -> String.format(Locale.ROOT, "maxConcurrency = %,d", inFlight);
            case BASELINE -> String.format(Locale.ROOT, "%,d platform threads", inFlight);
        };
        if (why != null) {
            return new MemoryRun(who, inFlight, arrangement, 0, 0, 0, 0, 0, "not run: " + why);
        }
        BenchKafka.Stage stage = kafka.stage("versus-memory-" + who.flag(), who.isTroupe() ? workers : JOB_PARTITIONS);
        WorkPoint point = new WorkPoint(Latency.hold(), inFlight);
        try (SimulatorProcess simulator = SimulatorProcess.start(Latency.hold().real());
             SubjectProcess subject = SubjectProcess.start(who, CHILD_JVM, keys(who, stage, simulator, point, workers),
                     logs.resolve(stage.name() + ".log"))) {
            subject.awaitReady(Duration.ofSeconds(60));
            Waits.until("a settled consumer group", Duration.ofSeconds(60),
                    () -> kafka.groupSettled(stage.groupId(), workers, stage.jobPartitions()));
            long heapBefore = subject.heapAfterGc();
            long rssBefore = subject.residentBytes();
            kafka.produceAtOnce(stage, inFlight);
            Waits.until(String.format(Locale.ROOT, "%,d generations at the simulator", inFlight), Duration.ofSeconds(120),
                    Duration.ofMillis(500), () -> active(simulator) >= inFlight);
            long[] last = {-1};
            Waits.until("the requests to calm down", Duration.ofSeconds(30), Duration.ofMillis(500), () -> {
                long answered = answered(simulator);
                boolean calm = last[0] >= 0 && answered - last[0] < Math.max(10, inFlight / 200);
                last[0] = answered;
                return calm;
            });
            long heapAfter = subject.heapAfterGc();
            return new MemoryRun(who, inFlight, arrangement, heapBefore, heapAfter, rssBefore, subject.residentBytes(),
                    active(simulator), null);
        } catch (Exception e) {
            return new MemoryRun(who, inFlight, arrangement, 0, 0, 0, 0, 0, "failed: " + e);
        } finally {
            kafka.drop(stage);
        }
    }

    private static long active(SimulatorProcess simulator) {
        return fromLedger(simulator, LedgerSnapshot::activeGenerations);
    }

    private static long answered(SimulatorProcess simulator) {
        return fromLedger(simulator, LedgerSnapshot::totalResponses);
    }

    /** A figure of the simulator's books, or -1 when it does not answer. */
    private static long fromLedger(SimulatorProcess simulator, java.util.function.ToLongFunction<LedgerSnapshot> figure) {
        try {
            return figure.applyAsLong(simulator.ledger());
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The command line of {@code bench/run --only versus}. */
    static final class Options {
        static final String USAGE = """
                bench/run --only versus [options]
                  --jobs N            jobs measured per run (default 20000), after --warmup N more (default 2000)
                  --pairs N           rounds per work point, the order alternating (default 3)
                  --points L:C,...    work points, L in ms (default 0:256,50:256,500:2048)
                  --contenders LIST   troupe,troupe-2,pc,baseline (default all; troupe-2 = Troupe on 2 event loops)
                  --memory N,...      jobs in flight for the heap rows (default 10000,50000; none to skip)
                  --quick             --jobs 5000 --warmup 1000 --pairs 1 --memory 10000 (written as versus-latest-quick.md)
                  --profile LABEL     instead: one run of Troupe and of PC per work point with a JFR recording
                                      (default points 0:256,500:2048), summarised in bench/results/profile-LABEL.md
                """;

        int jobs = 20_000;
        int warmup = 2_000;
        int pairs = 3;
        List<WorkPoint> points = parsePoints("0:256,50:256,500:2048");
        List<Contender> contenders = List.of(Contender.TROUPE, Contender.TROUPE_TWO_LOOPS, Contender.PARALLEL_CONSUMER,
                Contender.BASELINE);
        List<Integer> memory = List.of(10_000, 50_000);
        boolean quick;
        boolean help;
        String profileLabel;
        String resultsDirectory = "bench/results";
        String logDirectory = "modules/troupe-bench/target/versus-logs";
        private final List<String> given = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            while (!rest.isEmpty()) {
                String flag = rest.remove(0);
                o.given.add(flag);
                switch (flag) {
                    case "--help", "-h" -> o.help = true;
                    case "--quick" -> {
                        o.quick = true;
                        o.jobs = 5_000;
                        o.warmup = 1_000;
                        o.pairs = 1;
                        o.memory = List.of(10_000);
                    }
                    case "--jobs" -> o.jobs = positive(flag, value(flag, rest, o));
                    case "--warmup" -> o.warmup = positive(flag, value(flag, rest, o));
                    case "--pairs" -> o.pairs = positive(flag, value(flag, rest, o));
                    case "--points" -> o.points = parsePoints(value(flag, rest, o));
                    case "--contenders" -> o.contenders = Arrays.stream(value(flag, rest, o).split(",")).map(Contender::ofFlag).toList();
                    case "--memory" -> {
                        String v = value(flag, rest, o);
                        o.memory = v.equals("none") ? List.of() : Arrays.stream(v.split(",")).map(s -> positive(flag, s)).toList();
                    }
                    case "--results" -> o.resultsDirectory = value(flag, rest, o);
                    case "--profile" -> {
                        o.profileLabel = value(flag, rest, o);
                        if (!o.profileLabel.matches("[a-z0-9-]{1,40}")) {
                            throw new IllegalArgumentException("--profile: a label of a-z, 0-9 and -, got " + o.profileLabel);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (o.profileLabel != null && !o.given.contains("--points")) {
                o.points = parsePoints("0:256,500:2048");
            }
            return o;
        }

        private static String value(String flag, List<String> rest, Options o) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = rest.remove(0);
            o.given.add(v);
            return v;
        }

        private static int positive(String flag, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(flag + " must be a positive whole number, got " + value);
        }

        static List<WorkPoint> parsePoints(String text) {
            List<WorkPoint> points = new ArrayList<>();
            for (String part : text.split(",")) {
                String[] lc = part.trim().split(":");
                if (lc.length != 2) {
                    throw new IllegalArgumentException("--points: expected L:C pairs such as 0:256, got " + part);
                }
                long l = Long.parseLong(lc[0].trim());
                int c = positive("--points C", lc[1]);
                if (l < 0 || l > 60_000 || c > ConcurrencyConfig.MAX_CONCURRENCY_CEILING) {
                    throw new IllegalArgumentException("--points: L in 0..60000 ms and C in 1.." + ConcurrencyConfig.MAX_CONCURRENCY_CEILING
                            + ", got " + part);
                }
                points.add(new WorkPoint(Latency.ofMillis(l), c));
            }
            return List.copyOf(points);
        }

        String describe() {
            return "bench/run --only versus" + (given.isEmpty() ? "" : " " + String.join(" ", given));
        }
    }
}
