package dev.troupe.bench;

import dev.troupe.givon.AcceptedGeneration;
import dev.troupe.givon.ExchangeObserver;
import dev.troupe.givon.GenerationStatus;
import dev.troupe.givon.GivonClient;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.PollObserver;
import dev.troupe.givon.PollStart;
import dev.troupe.givon.sim.GenerationTime;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.SimulatorConfig;
import dev.troupe.model.GenerationInput;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run --only polling}: status reads per job and how late a finished generation is seen, with today's
 * poll schedule (the backoff alone) and with the start learned per model ({@link PollStart}), on the demo's
 * generation times (60 s..120 s, log-normal around 90 s) and speed-up (x100, the poll schedule scaled as the demo
 * scales it), with its failure rate (5 %). One JVM: the simulator in-process, a {@link GivonClient} following N
 * generations C at a time, a new client per round (so each learned round starts with no history), the two schedules
 * alternating in rounds. The detection delay of a generation is the time from its true end (the simulator's
 * {@link GivonSimulator#sinceEnd}) to the status read that saw it ended. Prints a table; writes
 * bench/results/polling-latest.md.
 */
public final class PollingBench {

    /** The two schedules compared. */
    enum Schedule {
        TODAY("today (backoff alone)"), LEARNED("learned start");

        final String label;

        Schedule(String label) {
            this.label = label;
        }
    }

    /** One round of one schedule; delays in real nanoseconds, one per job followed to its end. */
    record Round(Schedule schedule, int number, int jobs, long statusReads, long[] delays, long warmStatusReads,
                 long[] warmDelays, Duration learnedStart, double twentiethPercentileNanos, double seconds) {

        double readsPerJob() {
            return (double) statusReads / jobs;
        }

        double warmReadsPerJob() {
            return (double) warmStatusReads / warmDelays.length;
        }
    }

    private static final double SPEEDUP = 100;
    private static final GenerationTime DEMO_TIMES =
            new GenerationTime(Duration.ofSeconds(60), Duration.ofSeconds(90), Duration.ofSeconds(120));
    private static final double DEMO_FAILURE_RATE = 0.05;
    private static final double MAX_READS_PER_JOB = 3.0;
    private static final double MAX_DELAY_RATIO = 1.10;

    private PollingBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // not left hanging on Vert.x's non-daemon threads
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int jobs = Integer.parseInt(options.getOrDefault("--jobs", "5000"));
        int concurrency = Integer.parseInt(options.getOrDefault("--concurrency", "256"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        Path out = Path.of(options.getOrDefault("--out", "bench/results"));
        if (jobs < 1 || concurrency < 1 || rounds < 1) {
            throw new IllegalArgumentException("--jobs, --concurrency and --rounds must be >= 1");
        }
        String loadBefore = MachineInfo.loadAverage();
        Vertx simVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        GivonSimulator simulator = GivonSimulator.start(simVertx, SimulatorConfig.builder()
                .generationTime(DEMO_TIMES).timeCompression(SPEEDUP).failureRate(DEMO_FAILURE_RATE).seed(42).build())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<Round> done = new ArrayList<>();
        try {
            for (int round = 1; round <= rounds; round++) {
                // Alternating order: neither schedule always runs on the fresher (or the busier) machine.
                List<Schedule> order = round % 2 == 1 ? List.of(Schedule.TODAY, Schedule.LEARNED)
                        : List.of(Schedule.LEARNED, Schedule.TODAY);
                for (Schedule schedule : order) {
                    Round result = round(clientVertx, simulator, schedule, round, jobs, concurrency);
                    done.add(result);
                    System.err.printf(Locale.ROOT, "polling: round %d %-22s %.2f reads/job, mean delay %s ms, learned start %s,"
                            + " 20th percentile of times from acceptance %s ms (%.1f s)%n",
                            round, schedule.label, result.readsPerJob(), ms(mean(result.delays())),
                            result.learnedStart() == null ? "-" : ms(result.learnedStart().toNanos()) + " ms",
                            ms(result.twentiethPercentileNanos()), result.seconds());
                }
            }
        } finally {
            simulator.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            clientVertx.close();
            simVertx.close();
        }
        String markdown = report(done, jobs, concurrency, rounds, loadBefore);
        System.out.print(markdown);
        Files.createDirectories(out);
        Files.writeString(out.resolve("polling-latest.md"), markdown, StandardCharsets.UTF_8);
    }

    /** N generations followed C at a time with a new client: submit, then follow from the acceptance. */
    private static Round round(Vertx vertx, GivonSimulator simulator, Schedule schedule, int number, int jobs,
            int concurrency) throws InterruptedException {
        AtomicLong statusReads = new AtomicLong();
        ExchangeObserver counter = (kind, answer) -> {
            if (kind == ExchangeObserver.Kind.STATUS) {
                statusReads.incrementAndGet();
            }
        };
        GivonClient client = GivonClient.create(vertx, config(simulator, schedule), counter);
        long[] delays = new long[jobs];
        long[] times = new long[jobs];
        long[] starts = new long[jobs];
        int[] reads = new int[jobs];
        boolean[] ended = new boolean[jobs];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(jobs);
        long started = System.nanoTime();
        Runnable[] start = new Runnable[1];
        start[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= jobs) {
                return;
            }
            MotionJob job = job("polling-r" + number + "-" + schedule.name().toLowerCase(Locale.ROOT) + "-" + i);
            client.submit(job).compose(submission -> {
                AcceptedGeneration generation = new AcceptedGeneration(submission.generationId(), job.model(),
                        Instant.now(), true);
                PollObserver observer = new PollObserver() {
                    @Override
                    public void onStatus(GenerationStatus status, int poll) {
                        reads[i] = poll;
                        if (status.isTerminal()) {
                            delays[i] = simulator.sinceEnd(status.generationId()).orElseThrow().toNanos();
                            // The generation's time counted from the acceptance, as the client counts it.
                            times[i] = Duration.between(generation.acceptedAt(), Instant.now()).toNanos() - delays[i];
                            ended[i] = true;
                        }
                    }
                };
                return client.follow(generation, generation.acceptedAt().plus(Duration.ofMinutes(5)), observer);
            }).onComplete(ar -> {
                // Sampled as the round goes: its end (the slowest of the last C) would pull the figure up.
                starts[i] = client.learnedStart(job.model()).map(Duration::toNanos).orElse(-1L);
                if (ar.failed()) {
                    System.err.println("polling: job " + job.jobId() + " failed: " + ar.cause());
                }
                finished.countDown();
                start[0].run();
            });
        };
        for (int i = 0; i < Math.min(concurrency, jobs); i++) {
            start[0].run();
        }
        if (!finished.await(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("round " + number + " of " + schedule + " did not end in 30 minutes");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        client.close();
        long[] warmStarts = Arrays.stream(starts, Math.min(concurrency, jobs), jobs).filter(n -> n >= 0).sorted().toArray();
        Duration learned = warmStarts.length == 0 ? null : Duration.ofNanos(warmStarts[warmStarts.length / 2]);
        // "Warm": the jobs submitted after the first C, none of which began without history.
        List<Long> all = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        long warmReads = 0;
        for (int i = 0; i < jobs; i++) {
            if (!ended[i]) {
                continue;
            }
            all.add(delays[i]);
            ends.add(times[i]);
            if (i >= concurrency) {
                warm.add(delays[i]);
                warmReads += reads[i];
            }
        }
        long ownReads = Arrays.stream(reads).asLongStream().sum();
        if (ownReads != statusReads.get()) {
            System.err.println("polling: " + statusReads.get() + " status requests, " + ownReads + " answered reads");
        }
        return new Round(schedule, number, jobs, statusReads.get(), sorted(all), warmReads, sorted(warm), learned,
                percentile(sorted(ends), 0.20), seconds);
    }

    /** The demo's client for the simulator: the default schedule scaled by the speed-up as the demo scales it. */
    private static GivonConfig config(GivonSimulator simulator, Schedule schedule) {
        PollBackoff real = PollBackoff.DEFAULT;
        // WorkerCommand.scaled: the backoff's initial and max over the speed-up (at least 10 ms and 50 ms)...
        Duration initial = Duration.ofMillis(Math.max(10, (long) (real.initial().toMillis() / SPEEDUP)));
        Duration max = Duration.ofMillis(Math.max(initial.toMillis(), Math.max(50, (long) (real.max().toMillis() / SPEEDUP))));
        // ...and the learned start's floor and ceiling over it (a floor of at least 1 ms).
        PollStart start = PollStart.DEFAULT;
        Duration floor = Duration.ofNanos(Math.max(1_000_000, (long) (start.floor().toNanos() / SPEEDUP)));
        Duration ceiling = Duration.ofNanos(Math.max(floor.toNanos(), (long) (start.ceiling().toNanos() / SPEEDUP)));
        return GivonConfig.builder().baseUrl(simulator.baseUrl()).apiKey(SimulatorConfig.DEFAULT_API_KEY)
                .maxPoolSize(100)
                .pollBackoff(new PollBackoff(initial, max, real.multiplier()))
                .pollStart(new PollStart(schedule == Schedule.LEARNED, floor, ceiling))
                .build();
    }

    private static MotionJob job(String jobId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("prompt", "the character dances the choreography");
        fields.put("aspectRatio", "9:16");
        fields.put("duration", 3L);
        fields.put("audioEnabled", false);
        fields.put("referencePhoto", "asset://asset_character_01");
        fields.put("motionVideo", "asset://asset_dance_07");
        return new MotionJob(jobId, null, "studio", 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL, new GenerationInput(fields));
    }

    private static String report(List<Round> rounds, int jobs, int concurrency, int count, String loadBefore) {
        Map<Schedule, List<Round>> by = new EnumMap<>(Schedule.class);
        for (Round round : rounds) {
            by.computeIfAbsent(round.schedule(), s -> new ArrayList<>()).add(round);
        }
        StringBuilder md = new StringBuilder();
        MachineInfo machine = MachineInfo.current();
        md.append("# Poll schedule: status reads and detection delay\n\n");
        md.append("Run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(machine.cpuModel())
                .append(", ").append(machine.cores()).append(" cores, ").append(machine.java()).append(", load ")
                .append(loadBefore).append(" before, ").append(MachineInfo.loadAverage()).append(" after. ")
                .append(String.format(Locale.ROOT, "%,d generations per round, %d in flight, %d rounds per schedule in "
                        + "alternating order, a new client per round. ", jobs, concurrency, count))
                .append("The demo's generation times (60 s..120 s, log-normal around 90 s, failure rate 5 %) at speed-up x100, "
                        + "so a generation takes 0.6 s to 1.2 s here; the poll schedule scaled as the demo scales it "
                        + "(5 s x2 to 30 s becomes 50 ms x2 to 300 ms; the learned start's floor and ceiling 10 ms and 3 s). "
                        + "Detection delay: from a generation's true end (the simulator's clock) to the status read that saw "
                        + "it ended, in ms of this run's real time (x100 for Givon's time). Medians over rounds, "
                        + "the range in brackets. Warm: the jobs submitted after the first C (none began without history). "
                        + "Learned start: its median over the warm jobs' ends; 20th percentile: of the generations' times "
                        + "from their acceptance, as the client counts them.\n\n");
        md.append("| schedule | status reads per job | warm | delay mean ms | p50 | p95 | p99 | warm mean | learned start ms "
                + "| 20th percentile ms |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Schedule schedule : Schedule.values()) {
            List<Round> of = by.getOrDefault(schedule, List.of());
            md.append("| ").append(schedule.label)
                    .append(" | ").append(spread(of, Round::readsPerJob, "%.2f"))
                    .append(" | ").append(spread(of, Round::warmReadsPerJob, "%.2f"))
                    .append(" | ").append(spread(of, r -> mean(r.delays()) / 1e6, "%.1f"))
                    .append(" | ").append(spread(of, r -> percentile(r.delays(), 0.50) / 1e6, "%.1f"))
                    .append(" | ").append(spread(of, r -> percentile(r.delays(), 0.95) / 1e6, "%.1f"))
                    .append(" | ").append(spread(of, r -> percentile(r.delays(), 0.99) / 1e6, "%.1f"))
                    .append(" | ").append(spread(of, r -> mean(r.warmDelays()) / 1e6, "%.1f"))
                    .append(" | ").append(schedule == Schedule.TODAY ? "-" : spread(of,
                            r -> r.learnedStart() == null ? Double.NaN : r.learnedStart().toNanos() / 1e6, "%.0f"))
                    .append(" | ").append(spread(of, r -> r.twentiethPercentileNanos() / 1e6, "%.0f"))
                    .append(" |\n");
        }
        double todayDelay = median(by.get(Schedule.TODAY), r -> mean(r.delays()));
        double learnedDelay = median(by.get(Schedule.LEARNED), r -> mean(r.delays()));
        double learnedReads = median(by.get(Schedule.LEARNED), Round::readsPerJob);
        double todayReads = median(by.get(Schedule.TODAY), Round::readsPerJob);
        double ratio = learnedDelay / todayDelay;
        md.append("\n");
        md.append(String.format(Locale.ROOT, "- Status reads per job with the learned start: %.2f (today %.2f, %.0f %% fewer); "
                + "goal at most %.0f: **%s**.%n", learnedReads, todayReads, 100 * (1 - learnedReads / todayReads),
                MAX_READS_PER_JOB, learnedReads <= MAX_READS_PER_JOB ? "met" : "missed"));
        md.append(String.format(Locale.ROOT, "- Mean detection delay, learned / today: %.1f ms / %.1f ms = %.3f; goal at most "
                + "%.2f: **%s**.%n", learnedDelay / 1e6, todayDelay / 1e6, ratio, MAX_DELAY_RATIO,
                ratio <= MAX_DELAY_RATIO ? "met" : "missed"));
        md.append("\nPer round: ");
        List<String> each = new ArrayList<>();
        for (Round round : rounds) {
            each.add(String.format(Locale.ROOT, "%d %s %.2f reads, %.1f ms (%.1f s)", round.number(),
                    round.schedule() == Schedule.TODAY ? "today" : "learned", round.readsPerJob(), mean(round.delays()) / 1e6,
                    round.seconds()));
        }
        md.append(String.join("; ", each)).append(".\n");
        return md.toString();
    }

    private static String spread(List<Round> rounds, java.util.function.ToDoubleFunction<Round> figure, String format) {
        if (rounds == null || rounds.isEmpty()) {
            return "-";
        }
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        String median = String.format(Locale.ROOT, format, median(values));
        return values.length == 1 ? median : median + " (" + String.format(Locale.ROOT, format, values[0]) + "-"
                + String.format(Locale.ROOT, format, values[values.length - 1]) + ")";
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> figure) {
        return median(rounds.stream().mapToDouble(figure).sorted().toArray());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long[] sorted(List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** Nearest rank. */
    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: bench/run --only polling [--jobs N] [--concurrency C] "
                        + "[--rounds R] [--out DIR]; got " + String.join(" ", args));
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }
}
