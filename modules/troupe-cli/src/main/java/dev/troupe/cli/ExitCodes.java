package dev.troupe.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code troupe} exits with; shown under "Exit codes" in every command's help. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The command ran and failed: a batch timed out, a topic is missing, an unexpected error. */
    public static final int FAILURE = 1;
    /** Bad command line: unknown flag, missing or malformed value. */
    public static final int USAGE = 2;
    /** Kafka did not answer within the timeout (--kafka-timeout / cli.kafka-timeout). */
    public static final int KAFKA_UNREACHABLE = 3;
    /** Invalid input or configuration: a job, a manifest, config/troupe.yaml, a missing GIVON_API_KEY. */
    public static final int INVALID_INPUT = 4;
    /** {@code batch --watch}: every job has a result, but not every one SUCCEEDED (FAILED, REJECTED or EXPIRED). */
    public static final int JOBS_UNSUCCESSFUL = 5;

    private ExitCodes() {
    }

    static Map<String, String> descriptions() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(Integer.toString(OK), "success");
        codes.put(Integer.toString(FAILURE), "the command failed (see its message)");
        codes.put(Integer.toString(USAGE), "bad command line (unknown flag, bad value)");
        codes.put(Integer.toString(KAFKA_UNREACHABLE), "Kafka did not answer within --kafka-timeout");
        codes.put(Integer.toString(INVALID_INPUT), "invalid job, manifest or configuration, or GIVON_API_KEY missing");
        codes.put(Integer.toString(JOBS_UNSUCCESSFUL), "batch --watch: every job has a result, but not all succeeded");
        return codes;
    }
}
