package dev.troupe.bench;

import dev.troupe.givon.sim.GivonSimulatorMain;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.LedgerSnapshotJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Givon simulator in a child JVM on the same machine, for the memory rows: its generations then
 * live in another heap, so this JVM's heap growth is the worker's (or the baseline's) alone.
 */
final class SimulatorProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    private SimulatorProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** Generations of a fixed {@code generationTime} in real time (no compression). */
    static SimulatorProcess start(Duration generationTime) throws Exception {
        return start(generationTime.toSeconds() + "s", 1);
    }

    /** Generations of exactly L in real time, compressed as the in-JVM rows run them ({@link Latency#simulator()}). */
    static SimulatorProcess start(Latency latency) throws Exception {
        double compression = latency.compression();
        long simulatedMillis = Math.round(latency.real().toMillis() * compression);
        return start(simulatedMillis + "ms", compression);
    }

    private static SimulatorProcess start(String generationTime, double compression) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GivonSimulatorMain.class.getName(), "--port", "0",
                "--generation-time", generationTime, "--time-compression", Double.toString(compression));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                throw new IllegalStateException("the simulator process ended before it listened");
            } catch (IOException e) {
                throw new IllegalStateException("reading the simulator's output failed", e);
            }
        });
        try {
            String baseUrl = url.get(30, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "simulator-stdout");
            drain.setDaemon(true);
            drain.start();
            return new SimulatorProcess(process, baseUrl);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the simulator process did not start: " + e, e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Its CPU so far (user + system), in nanoseconds; -1 if /proc cannot tell. */
    long cpuNanos() {
        return ProcStat.cpuNanos(process.pid());
    }

    /** The simulator's ledger, as served on {@code /sim/stats}. */
    LedgerSnapshot ledger() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/sim/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return LedgerSnapshotJson.read(response.body());
    }

    @Override
    public void close() throws InterruptedException {
        // Its books are read already: no graceful stop needed.
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
