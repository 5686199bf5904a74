package dev.troupe.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the tests read (the shipped configuration and examples). */
final class TestFiles {

    private TestFiles() {
    }

    /** The path, found from the module's working directory upwards. */
    static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate) && Files.exists(dir.resolve("mvnw"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
