package dev.troupe.testkit;

import dev.troupe.kafka.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single-node Kafka broker in a child JVM, for the test that kills the broker (SIGKILL, as a crash
 * does) and restarts it on the same port and data directory. The broker every other test shares lives
 * in the test JVM and cannot go away under them; this one belongs to one test.
 *
 * <p>The child runs {@link EmbeddedKafkaBroker} on this JVM's classpath. Its address stays the same
 * across restarts (the port picked at the first start is asked for again), so clients configured with
 * {@link #bootstrapServers()} reconnect on their own. The child also stops when this JVM dies (it
 * watches its standard input). Not thread-safe: one test drives it.
 */
public final class ForkedKafkaBroker implements AutoCloseable {

    private static final String READY = "troupe-forked-broker ready at ";
    private static final Pattern READY_LINE = Pattern.compile(Pattern.quote(READY) + "(127\\.0\\.0\\.1:(\\d+))");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dataDirectory;
    private int port;
    private String bootstrapServers;
    private Process process;
    private Path output;
    private KafkaCluster cluster;
    private int starts;

    private ForkedKafkaBroker(Path dataDirectory) {
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /**
     * Starts a broker keeping its data in {@code dataDirectory} (formatted on first use), on a free
     * loopback port; returns once a client can reach it.
     */
    public static ForkedKafkaBroker start(Path dataDirectory) {
        ForkedKafkaBroker broker = new ForkedKafkaBroker(dataDirectory);
        broker.launch();
        return broker;
    }

    /** {@code 127.0.0.1:port}, the same after every restart. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** This broker as a {@link KafkaCluster} (topics, admin, producer), usable across restarts; closed by {@link #close()}. */
    public KafkaCluster cluster() {
        if (cluster == null) {
            cluster = new KafkaCluster(KafkaCluster.Source.FORKED, bootstrapServers);
        }
        return cluster;
    }

    /** SIGKILL: the broker gets no chance to flush, close its logs or tell its clients. Returns once the process is gone. */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the forked broker did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the forked broker", e);
        }
    }

    /** Starts the broker again on the same port and data directory (it recovers its logs); returns once reachable. */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the forked broker is still running: kill() it first");
        }
        launch();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** What the child printed (its log), for a failure message. */
    public String output() {
        try {
            return output == null ? "" : Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Closes the cluster's clients and kills the broker; the data directory is the caller's. */
    @Override
    public void close() {
        try {
            if (cluster != null) {
                cluster.closeClients();
            }
        } finally {
            kill();
        }
    }

    @Override
    public String toString() {
        return "ForkedKafkaBroker[" + bootstrapServers + ", " + dataDirectory + ", started " + starts + " times]";
    }

    private void launch() {
        try {
            Files.createDirectories(dataDirectory);
            output = Files.createTempFile(dataDirectory.getParent(), "forked-broker-" + (starts + 1) + "-", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new java.util.ArrayList<>(List.of(java));
            command.addAll(JVM_OPTIONS);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ForkedKafkaBroker.class.getName(),
                    dataDirectory.toAbsolutePath().toString(), Integer.toString(port)));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the forked broker", e);
        }
        starts++;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher ready = READY_LINE.matcher(output());
            if (ready.find()) {
                bootstrapServers = ready.group(1);
                port = Integer.parseInt(ready.group(2));
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the forked broker exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the forked broker was not ready within " + START_TIMEOUT.toSeconds() + " s:\n" + output());
            }
            Deadlines.pause(deadline, "the forked broker");
        }
    }

    /**
     * The child: {@code ForkedKafkaBroker <dataDirectory> <port, 0 for any>}. Prints the ready line,
     * then runs until its standard input closes (the parent went away) or it is killed.
     */
    public static void main(String[] args) throws IOException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults()
                .withDataDirectory(Path.of(args[0]))
                .withClientPort(Integer.parseInt(args[1])));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        while (System.in.read() != -1) {
            // nothing to read: this only waits for the parent
        }
        broker.close();
        System.exit(0);
    }
}
