package dev.troupe.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and reads the configuration. The file is the first of: {@code --config FILE}, the
 * {@code TROUPE_CONFIG} variable, {@code ./config/troupe.yaml}, {@code $TROUPE_HOME/config/troupe.yaml}
 * (the launcher sets {@code TROUPE_HOME} to the repository); with none, the built-in defaults apply.
 * {@code TROUPE_*} variables then override single keys (see {@link ConfigSource}).
 */
public final class ConfigLoader {

    static final Path DEFAULT_FILE = Path.of("config", "troupe.yaml");

    private ConfigLoader() {
    }

    /**
     * The configuration, where it came from, and warnings (e.g. a {@code TROUPE_} variable that names no key).
     *
     * @param origin the file read, or {@code built-in defaults}
     */
    public record Loaded(TroupeConfig config, String origin, List<String> warnings) {
    }

    /**
     * @param explicit    the {@code --config} file, if given: it must exist
     * @param environment the process environment (tests pass their own)
     * @throws ConfigException naming every invalid key and why
     */
    public static Loaded load(Optional<Path> explicit, Map<String, String> environment) {
        Optional<Path> file = locate(explicit, environment);
        String yaml = "";
        String origin = "built-in defaults";
        if (file.isPresent()) {
            origin = file.get().toString();
            try {
                yaml = Files.readString(file.get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("(file)", origin, "cannot be read: " + e.getMessage());
            }
        }
        ConfigReader.Read read = ConfigReader.read(ConfigSource.of(yaml, origin, environment));
        return new Loaded(read.config(), origin, read.warnings());
    }

    static Optional<Path> locate(Optional<Path> explicit, Map<String, String> environment) {
        if (explicit.isPresent()) {
            return Optional.of(existing(explicit.get(), "--config"));
        }
        String named = environment.get("TROUPE_CONFIG");
        if (named != null && !named.isBlank()) {
            return Optional.of(existing(Path.of(named), "TROUPE_CONFIG"));
        }
        if (Files.isRegularFile(DEFAULT_FILE)) {
            return Optional.of(DEFAULT_FILE);
        }
        String home = environment.get("TROUPE_HOME");
        if (home != null && !home.isBlank()) {
            Path file = Path.of(home).resolve(DEFAULT_FILE);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private static Path existing(Path file, String from) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("(file)", from, file + " does not exist or is not a file");
        }
        return file;
    }
}
