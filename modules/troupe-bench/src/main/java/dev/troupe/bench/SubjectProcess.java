package dev.troupe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A system under test in a child JVM, spoken to over its stdin and stdout ({@link SubjectMain}'s line
 * protocol); its stderr goes to a log file. Its CPU is read from /proc, so GC and JIT count too.
 */
final class SubjectProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Contender contender;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    private SubjectProcess(Contender contender, Process process, Path log) {
        this.contender = contender;
        this.process = process;
        this.log = log;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line.trim());
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "bench-subject-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code contender} with {@code jvmOptions} (heap, a flight recording) and the protocol's
     * keys, logging to {@code log}.
     */
    static SubjectProcess start(Contender contender, List<String> jvmOptions, Map<String, String> keys, Path log) throws IOException {
        String why = contender.whyNot();
        if (why != null) {
            throw new IllegalStateException(contender.label() + " cannot run: " + why);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(contender.launch());
        keys.forEach((k, v) -> command.add(k + "=" + v));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new SubjectProcess(contender, process, log);
    }

    Contender contender() {
        return contender;
    }

    long pid() {
        return process.pid();
    }

    /** CPU used so far (user + system), in nanoseconds; -1 if /proc cannot tell. */
    long cpuNanos() {
        return ProcStat.cpuNanos(process.pid());
    }

    long systemCpuNanos() {
        return ProcStat.systemCpuNanos(process.pid());
    }

    long residentBytes() {
        return ProcStat.residentBytes(process.pid());
    }

    void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        expect(SubjectMain.READY, timeout);
    }

    /** Heap in use after two full collections in the child. */
    long heapAfterGc() throws IOException, InterruptedException, TimeoutException {
        send(SubjectMain.HEAP);
        String line = expect(SubjectMain.HEAP + " ", Duration.ofSeconds(60));
        return Long.parseLong(line.substring(SubjectMain.HEAP.length() + 1).trim());
    }

    private void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** Waits for a line starting with {@code prefix}; fails at once if the process ends first. */
    private String expect(String prefix, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                throw new IllegalStateException(contender.label() + " ended with exit code " + process.exitValue()
                        + " before '" + prefix.trim() + "': " + tail());
            }
        }
        throw new TimeoutException("waited " + timeout.toSeconds() + " s for " + contender.label() + " to say '" + prefix.trim()
                + "': " + tail());
    }

    /** The last lines of its log, for an error message. */
    String tail() {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", all.subList(Math.max(0, all.size() - 5), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Asks it to stop and waits; kills it if it does not end in time. */
    @Override
    public void close() throws InterruptedException {
        try {
            send(SubjectMain.STOP);
            commands.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
