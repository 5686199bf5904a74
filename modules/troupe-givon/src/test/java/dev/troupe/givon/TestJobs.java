package dev.troupe.givon;

import dev.troupe.model.GenerationInput;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import java.util.LinkedHashMap;
import java.util.Map;

/** Motion jobs built by hand, so a test can also send what client-side validation would refuse. */
final class TestJobs {

    private TestJobs() {
    }

    static MotionJob job(String jobId) {
        return job(jobId, 3L);
    }

    static MotionJob job(String jobId, long durationSeconds) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("prompt", "the character dances the choreography");
        fields.put("aspectRatio", "9:16");
        fields.put("duration", durationSeconds);
        fields.put("audioEnabled", false);
        fields.put("referencePhoto", "asset://asset_character_01");
        fields.put("motionVideo", "asset://asset_dance_07");
        return new MotionJob(jobId, "batch-1", "studio", 0, Map.of(), null, ModelCatalog.DEFAULT_MODEL,
                new GenerationInput(fields));
    }
}
