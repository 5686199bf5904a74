package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CodecRoundTripTest {

    private final JobCodec codec = JobCodec.defaults();

    @Property(tries = 300)
    void aDecodedJobEncodesBackToItself(@ForAll("jobs") MotionJob job) {
        assertThat(codec.decode(codec.encode(job))).isEqualTo(new DecodeResult.Decoded(job));
    }

    @Property(tries = 300)
    void aResultDecodesBackToItself(@ForAll("results") JobResult result) {
        assertThat(codec.decodeResult(codec.encodeResult(result))).isEqualTo(result);
    }

    @Provide
    Arbitrary<MotionJob> jobs() {
        return ModelArbitraries.jobs();
    }

    @Provide
    Arbitrary<JobResult> results() {
        return ModelArbitraries.results();
    }

    @Property(tries = 100)
    void encodedJobsCarryTheSchemaAndOmitNulls(@ForAll("jobs") MotionJob job) {
        String json = new String(codec.encode(job), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"schema\":\"troupe.motion-job/v1\"").doesNotContain(":null");
        assertThat(List.of(job.batchId() == null, json.contains("\"batchId\""))).containsOnlyOnce(true);
    }
}
