package dev.troupe.cli;

import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code troupe worker} in a child JVM on this test's classpath, with the simulator's API key: what an
 * operator runs, stopped as an orchestrator stops it (SIGTERM) or as a crash does (SIGKILL).
 */
final class WorkerProcess implements AutoCloseable {

    /** Printed once the worker consumes. */
    static final String RUNNING = "Press Ctrl-C to drain and stop.";
    /**
     * Small and quick to start: several of these share two cores with the broker and the simulator. C1
     * only, since a worker's work is I/O and its JIT time is what a restart pays.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Pattern OPS_PORT = Pattern.compile("metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^troupe_jobs_in_flight(?:\\{[^}]*})? ([0-9.eE+-]+)$");
    /** One line per place a parked job is held ({@code held="memory"}, {@code held="journal"}). */
    private static final Pattern PARKED = Pattern.compile("(?m)^troupe_jobs_parked(?:\\{[^}]*})? ([0-9.eE+-]+)$");
    private static final Pattern SHARE = Pattern.compile("(?m)^troupe_concurrency_share(?:\\{[^}]*})? ([0-9.eE+-]+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    /** A file, not a pipe: a pipe read while the process exits may lose its last lines. */
    private final Path output;

    private WorkerProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code troupe worker --config config} with {@code options} (e.g. {@code --concurrency 8
     * --ops-port -1}); returns at once.
     */
    static WorkerProcess start(String name, Path config, Path workingDirectory, String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = Files.createTempFile(workingDirectory, name + "-", ".log");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TroupeCli.class.getName(),
                "worker", "--config", config.toString()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("GIVON_API_KEY", SimulatorConfig.DEFAULT_API_KEY);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("TROUPE_"));
        return new WorkerProcess(name, builder.start(), output);
    }

    /** Waits until the worker says it consumes; fails with its output if it dies or takes over 60 s. */
    WorkerProcess awaitRunning() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive() && !output().contains(RUNNING)) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it ran\n" + output());
            }
            return output().contains(RUNNING);
        });
        return this;
    }

    boolean running() {
        return process.isAlive() && output().contains(RUNNING);
    }

    /** SIGTERM (what {@link Process#destroy()} sends on Linux and macOS), then the exit code. */
    int terminate() throws InterruptedException {
        awaitRunning();
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not stop within 90 s of SIGTERM\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL; returns once the process is gone, so nothing it sent is still on its way. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die within 30 s of SIGKILL");
        }
    }

    /**
     * SIGKILL to every one of {@code workers} at once (a power cut: none of them gets a moment more to
     * commit than the others), then returns once they are all gone.
     */
    static void killAll(List<WorkerProcess> workers) throws InterruptedException {
        workers.forEach(worker -> worker.process.destroyForcibly());
        for (WorkerProcess worker : workers) {
            worker.kill();
        }
    }

    /**
     * Jobs holding a concurrency permit now (the {@code troupe_jobs_in_flight} gauge of its
     * {@code /metrics}); empty while the endpoint does not answer. Needs {@code --ops-port 0}.
     */
    OptionalInt jobsInFlight() {
        return gauge(IN_FLIGHT, "troupe_jobs_in_flight", "whether it has jobs in flight");
    }

    /**
     * Jobs parked on a spent budget now, wherever they are held (the {@code troupe_jobs_parked} gauges
     * of its {@code /metrics}, summed); empty while the endpoint does not answer. Needs {@code --ops-port 0}.
     */
    OptionalInt parkedJobs() {
        return gauge(PARKED, "troupe_jobs_parked", "how many jobs it parked");
    }

    /**
     * Its share of {@code givon.max-in-flight} now (the {@code troupe_concurrency_share} gauge of its
     * {@code /metrics}); empty while the endpoint does not answer. Needs {@code --ops-port 0}.
     */
    OptionalInt concurrencyShare() {
        return gauge(SHARE, "troupe_concurrency_share", "its share of the account's concurrency");
    }

    /** The lines of {@code metric} on its {@code /metrics}, summed; empty while the endpoint does not answer. */
    private OptionalInt gauge(Pattern lines, String metric, String purpose) {
        Matcher port = OPS_PORT.matcher(output());
        if (!port.find() || !process.isAlive()) {
            return OptionalInt.empty();
        }
        try {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher gauge = lines.matcher(metrics.body());
            int sum = 0;
            boolean found = false;
            while (gauge.find()) {
                found = true;
                sum += (int) Double.parseDouble(gauge.group(1));
            }
            if (!found) {
                throw new AssertionError(name + "'s /metrics has no " + metric + " gauge, so the test cannot tell " + purpose + ":\n"
                        + metrics.body());
            }
            return OptionalInt.of(sum);
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return name + " output:\n" + output();
    }
}
