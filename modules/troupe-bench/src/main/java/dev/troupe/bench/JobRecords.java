package dev.troupe.bench;

import java.nio.charset.StandardCharsets;

/** {@code troupe.jobs} record values as a producer writes them: a 3 s Kling 3.0 Motion job (21 tokens). */
final class JobRecords {

    static final long TOKENS_PER_JOB = 21;

    private JobRecords() {
    }

    static byte[] key(String jobId) {
        return jobId.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(String jobId) {
        return value(jobId, null);
    }

    /** @param tenant the budget the job is charged to, or null for none (the default budget) */
    static byte[] value(String jobId, String tenant) {
        return ("{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\",\"batchId\":\"bench\","
                + (tenant == null ? "" : "\"tenant\":\"" + tenant + "\",")
                + "\"metadata\":{\"character\":\"c7\",\"dance\":\"d3\"},"
                + "\"input\":{\"prompt\":\"the character performs the choreography of the reference video\","
                + "\"aspectRatio\":\"9:16\",\"duration\":3,"
                + "\"referencePhoto\":\"https://assets.example.com/characters/c7.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/d3.mp4\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
