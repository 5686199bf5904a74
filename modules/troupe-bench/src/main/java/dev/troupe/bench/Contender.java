package dev.troupe.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A system under test of the head-to-head rows, each run in a JVM of its own ({@link SubjectProcess}). */
enum Contender {
    TROUPE("Troupe"),
    PARALLEL_CONSUMER("Parallel Consumer"),
    BASELINE("blocking baseline");

    /** Set by bench/run: modules/troupe-bench-pc's jar and target/lib, Vert.x 4 and its Kafka client, apart from ours. */
    static final String PC_CLASSPATH_PROPERTY = "troupe.bench.pc.classpath";
    private static final String PC_MAIN = "dev.troupe.bench.pc.ParallelConsumerSubject";

    private final String label;

    Contender(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The name on the command line ({@code --contenders troupe,pc,baseline}). */
    String flag() {
        return switch (this) {
            case TROUPE -> "troupe";
            case PARALLEL_CONSUMER -> "pc";
            case BASELINE -> "baseline";
        };
    }

    static Contender ofFlag(String flag) {
        for (Contender c : values()) {
            if (c.flag().equals(flag.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown contender " + flag + " (troupe, pc, baseline)");
    }

    /** Why this contender cannot run here, or null. */
    String whyNot() {
        if (this != PARALLEL_CONSUMER) {
            return null;
        }
        String cp = System.getProperty(PC_CLASSPATH_PROPERTY, "");
        if (cp.isBlank()) {
            return "no Parallel Consumer classpath (-D" + PC_CLASSPATH_PROPERTY + ", set by bench/run)";
        }
        String jar = cp.split(File.pathSeparator)[0];
        return Files.isRegularFile(Path.of(jar)) ? null : "modules/troupe-bench-pc is not built (" + jar + " missing)";
    }

    /** The child JVM's classpath and main class, then its first arguments. */
    List<String> launch() {
        return switch (this) {
            case TROUPE -> List.of("-cp", System.getProperty("java.class.path"), SubjectMain.class.getName(), "troupe");
            case BASELINE -> List.of("-cp", System.getProperty("java.class.path"), SubjectMain.class.getName(), "baseline");
            case PARALLEL_CONSUMER -> List.of("-cp", System.getProperty(PC_CLASSPATH_PROPERTY), PC_MAIN);
        };
    }
}
