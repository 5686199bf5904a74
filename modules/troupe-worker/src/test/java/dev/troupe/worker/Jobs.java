package dev.troupe.worker;

import java.nio.charset.StandardCharsets;

/** Job records as a producer would write them. */
final class Jobs {

    private Jobs() {
    }

    static byte[] valid(String jobId, String tenant) {
        return valid(jobId, tenant, 3);
    }

    static byte[] valid(String jobId, String tenant, int durationSeconds) {
        return json("{\"schema\":\"troupe.motion-job/v1\",\"jobId\":\"" + jobId + "\","
                + (tenant == null ? "" : "\"tenant\":\"" + tenant + "\",")
                + "\"batchId\":\"batch-1\",\"metadata\":{\"character\":\"c1\"},"
                + "\"input\":{\"prompt\":\"a character dancing the choreography\",\"duration\":" + durationSeconds + ","
                + "\"referencePhoto\":\"https://assets.example.com/characters/c1.png\","
                + "\"motionVideo\":\"https://assets.example.com/motions/m1.mp4\"}}");
    }

    /** Run {@code run} of the job {@link #valid(String, String)} writes, as {@code troupe retry} sends it. */
    static byte[] run(String jobId, String tenant, int run) {
        String first = new String(valid(jobId, tenant), StandardCharsets.UTF_8);
        return json(first.replaceFirst("\\{", "{\"run\":" + run + ","));
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
