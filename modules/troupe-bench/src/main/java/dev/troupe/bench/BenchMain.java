package dev.troupe.bench;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Runs the whole benchmark in this JVM against one in-JVM broker: prints the tables on stdout
 * (progress on stderr) and writes {@code latest.json}, {@code latest.md} and timestamped copies.
 * Started by {@code bench/run}; see {@link BenchOptions#usage()}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageRequested e) {
            System.out.println(BenchOptions.usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.usage());
            System.exit(2);
            return;
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String loadAtStart = MachineInfo.loadAverage();
        Progress progress = new Progress();
        progress.say("starting: load average %s, %d cores, max heap %s", loadAtStart,
                Runtime.getRuntime().availableProcessors(), Format.mebibytes(Runtime.getRuntime().maxMemory()));
        BenchPlan.Results results;
        Vertx simulatorVertx = Vertx.vertx();
        // Null (not started, not closed) when only the decode rows run.
        try (BenchKafka kafka = options.needsBroker() ? BenchKafka.start() : null) {
            if (kafka != null) {
                progress.say("broker up at %s", kafka.bootstrapServers());
            }
            results = new BenchPlan(options, kafka, simulatorVertx, progress).run();
        } finally {
            simulatorVertx.close().await(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - progress.startNanos()) / 1e9;
        String command = ("bench/run " + String.join(" ", args)).trim();
        BenchReport report = new BenchReport(started.toString(), seconds, command, options.quick(), MachineInfo.current(),
                loadAtStart, MachineInfo.loadAverage(), options.window(), results.decode(), results.journal(), results.transactionHold(), results.dispatch(), results.utilization(),
                results.journalCost(), results.budgetCost(), results.correctnessLoad(), results.correctness(), results.memory(), results.notes());
        String markdown = MarkdownReport.render(report);
        System.out.println();
        System.out.print(markdown);
        write(options.out(), report, markdown, started);
        // Kafka and Vert.x leave non-daemon threads behind after close; the figures are written.
        System.exit(0);
    }

    private static void write(Path dir, BenchReport report, String markdown, Instant started) throws IOException {
        Files.createDirectories(dir);
        String suffix = report.quick() ? "-quick" : "";
        String stamp = started.toString().replace(":", "-") + suffix;
        String json = JsonReport.render(report);
        for (String name : new String[] {"latest" + suffix, stamp}) {
            Files.writeString(dir.resolve(name + ".json"), json + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
        }
        System.err.printf("wrote %s and %s%n", dir.resolve("latest" + suffix + ".json"), dir.resolve("latest" + suffix + ".md"));
    }
}
