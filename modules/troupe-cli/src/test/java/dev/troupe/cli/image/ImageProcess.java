package dev.troupe.cli.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command of the image run the way a container runtime runs it, without one: the image's
 * {@code Entrypoint} followed by {@code args} (the image's {@code Cmd} when empty), with the image's
 * {@code Env} and nothing of this JVM's, as the image's {@code User}, in its {@code WorkingDir}, with the
 * unpacked layers as {@code /} (a private mount namespace gives it {@code /proc} and the host's
 * {@code /dev}). The network is the host's, so its ports are reached on 127.0.0.1. Needs root.
 *
 * <p>Each step execs the next, so the process started is the JVM: {@link #terminate()} is SIGTERM to it,
 * as {@code docker stop} sends.
 */
final class ImageProcess implements AutoCloseable {

    /** Mounts /proc and /dev inside the root file system, then enters it as the image's user. */
    private static final String ENTER = "root=$0 user=$1 group=$2 dir=$3; shift 3; "
            + "mount -t proc proc \"$root/proc\" && mount --rbind /dev \"$root/dev\" && "
            + "exec unshare --root=\"$root\" --wd=\"$dir\" --setuid=\"$user\" --setgid=\"$group\" -- \"$@\"";

    private final Process process;
    private final Path output;

    private ImageProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the image's command with {@code args} (none: its Cmd) and {@code env} added to its Env; returns at once. */
    static ImageProcess start(ImageTar image, Path rootfs, Path output, Map<String, String> env, List<String> args)
            throws IOException {
        String[] user = image.runConfig().get("User").asText().split(":");
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--", "/bin/sh", "-c", ENTER,
                rootfs.toString(), user[0], user.length > 1 ? user[1] : user[0], image.runConfig().get("WorkingDir").asText("/")));
        command.addAll(image.strings(image.runConfig().get("Entrypoint")));
        command.addAll(args.isEmpty() ? image.strings(image.runConfig().get("Cmd")) : args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(image, env));
        return new ImageProcess(builder.start(), output);
    }

    /** Runs the image's command with {@code args} to its end; fails when it takes over {@code timeoutSeconds}. */
    static Result run(ImageTar image, Path rootfs, Path output, Map<String, String> env, List<String> args, int timeoutSeconds)
            throws IOException, InterruptedException {
        try (ImageProcess process = start(image, rootfs, output, env, args)) {
            if (!process.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", args) + " did not end within " + timeoutSeconds + " s:\n" + process.output());
            }
            return new Result(process.process.exitValue(), process.output());
        }
    }

    /** The image's Env, then {@code extra} (which wins, as {@code docker run -e} does). */
    static Map<String, String> environment(ImageTar image, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : image.strings(image.runConfig().get("Env"))) {
            int equals = entry.indexOf('=');
            env.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
        env.putAll(extra);
        return env;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then its exit code; fails when it has not ended within {@code timeoutSeconds}. */
    int terminate(int timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("did not stop within " + timeoutSeconds + " s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** How a command that ran to its end ended. */
    record Result(int exitCode, String output) {
    }
}
