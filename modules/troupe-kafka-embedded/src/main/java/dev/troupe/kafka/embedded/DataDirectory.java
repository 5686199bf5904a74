package dev.troupe.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The broker's data directory: the one asked for, or a temporary one. */
final class DataDirectory {

    private DataDirectory() {
    }

    /** Creates the directory asked for, or a temporary one when {@code requested} is null. */
    static Path prepare(Path requested) {
        try {
            return requested == null
                    ? Files.createTempDirectory("troupe-kafka-")
                    : Files.createDirectories(requested);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory " + requested, e);
        }
    }

    /** Deletes the directory and everything in it; a missing directory is fine. */
    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the Kafka data directory " + root, e);
        }
    }
}
