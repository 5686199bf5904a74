package dev.troupe.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A {@code docker save} image tar as Jib's buildTar writes it (manifest.json, the config, one gzipped
 * tar per layer), unpacked with GNU tar into a directory: what {@code docker load} and {@code podman
 * load} read, looked at without either.
 */
final class ImageTar {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageTar(Path directory, JsonNode manifest, JsonNode config) {
        this.directory = directory;
        this.manifest = manifest;
        this.config = config;
    }

    /** Unpacks {@code tar} into {@code directory} (emptied first). */
    static ImageTar unpack(Path tar, Path directory) throws IOException, InterruptedException {
        if (!Files.isRegularFile(tar)) {
            throw new IllegalStateException("no image tar at " + tar + ": build it with -Pimage (deploy/image/build-and-check)");
        }
        Commands.deleteTree(directory);
        Files.createDirectories(directory);
        Commands.run(List.of("tar", "-xf", tar.toString(), "-C", directory.toString()), 120);
        JsonNode manifests = JSON.readTree(directory.resolve("manifest.json").toFile());
        if (manifests.size() != 1) {
            throw new IllegalStateException("expected one image in " + tar + ", found " + manifests.size());
        }
        JsonNode manifest = manifests.get(0);
        return new ImageTar(directory, manifest, JSON.readTree(directory.resolve(manifest.get("Config").asText()).toFile()));
    }

    /** The manifest entry: {@code Config}, {@code RepoTags}, {@code Layers}. */
    JsonNode manifest() {
        return manifest;
    }

    /** The image's run configuration ({@code Entrypoint}, {@code Cmd}, {@code User}, {@code Env}, ...). */
    JsonNode runConfig() {
        return config.get("config");
    }

    /** The whole image config, with {@code rootfs.diff_ids} and {@code history}. */
    JsonNode imageConfig() {
        return config;
    }

    List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The layer files in order, base first. */
    List<Path> layers() {
        return strings(manifest.get("Layers")).stream().map(directory::resolve).toList();
    }

    /** The sha256 of a layer's uncompressed tar: what its diff_id must be for a loader to accept it. */
    static String diffId(Path layer) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layer), 1 << 16)) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, read);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    /**
     * The entries of a layer as GNU tar lists them numerically ({@code -rw-r--r-- 0/0 SIZE DATE TIME PATH}),
     * one per line.
     */
    static List<String> listing(Path layer) throws IOException, InterruptedException {
        return Commands.run(List.of("tar", "--warning=no-unknown-keyword", "--numeric-owner", "-tvzf", layer.toString()), 120)
                .lines().toList();
    }

    /** One file of a layer, or an exception when the layer has no such file. */
    static String file(Path layer, String path) throws IOException, InterruptedException {
        return Commands.run(List.of("tar", "--warning=no-unknown-keyword", "-xzOf", layer.toString(), path), 60);
    }

    /**
     * The root file system: every layer unpacked in order as root (owners and modes kept) into
     * {@code rootfs}, with empty {@code /proc} and {@code /dev} to mount the host's on.
     */
    Path rootfs(Path rootfs) throws IOException, InterruptedException {
        Commands.deleteTree(rootfs);
        Files.createDirectories(rootfs);
        for (Path layer : layers()) {
            Commands.run(List.of("tar", "--warning=no-unknown-keyword", "--numeric-owner", "-xzpf", layer.toString(),
                    "-C", rootfs.toString()), 300);
        }
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        return rootfs;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Small blocking helpers around child processes, for a test that needs GNU tar and chroot. */
    static final class Commands {

        private Commands() {
        }

        /** Runs {@code command}; its standard output, or an exception with its output when it fails. */
        static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
            Path output = Files.createTempFile("image-check-", ".out");
            Path errors = Files.createTempFile("image-check-", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " took over " + timeoutSeconds + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                            + Files.readString(errors));
                }
                return Files.readString(output);
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        }

        static void deleteTree(Path directory) {
            if (Files.exists(directory)) {
                try {
                    run(List.of("rm", "-rf", "--one-file-system", directory.toString()), 120);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
