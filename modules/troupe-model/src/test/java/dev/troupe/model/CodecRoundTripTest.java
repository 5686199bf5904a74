package dev.troupe.model;

import static dev.troupe.model.ModelArbitraries.ids;
import static dev.troupe.model.ModelArbitraries.instants;
import static dev.troupe.model.ModelArbitraries.metadata;
import static dev.troupe.model.ModelArbitraries.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
        Arbitrary<Identity> identity = Combinators.combine(ids(128), ids(128).injectNull(0.3), ids(64).injectNull(0.3),
                        Arbitraries.of(JobStatus.class), text().injectNull(0.3), text().injectNull(0.3))
                .as(Identity::new);
        return Combinators.combine(identity,
                        Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).map(Tokens::ofMilli),
                        Arbitraries.integers().between(0, 20), errors().injectNull(0.4), timings(), metadata())
                .as((id, cost, attempts, error, timings, metadata) -> new JobResult(id.jobId, id.batchId, id.tenant,
                        id.status, id.generationId, id.videoUrl, cost, attempts, error, timings, metadata));
    }

    private record Identity(String jobId, String batchId, String tenant, JobStatus status, String generationId, String videoUrl) {
    }

    private static Arbitrary<JobResult.Timings> timings() {
        return Combinators.combine(instants().injectNull(0.3), instants().injectNull(0.3), instants().injectNull(0.3),
                        instants().injectNull(0.3))
                .as(JobResult.Timings::new);
    }

    private static Arbitrary<JobResult.Error> errors() {
        Arbitrary<Violation> violation = Combinators.combine(text(), text(), text().injectNull(0.3), text())
                .as(Violation::new);
        return Combinators.combine(Arbitraries.of("INVALID_JOB", "GENERATION_FAILED", "BUDGET_EXHAUSTED"), text().injectNull(0.2),
                        Arbitraries.of(true, false), violation.list().ofMaxSize(4))
                .as(JobResult.Error::new);
    }

    @Property(tries = 100)
    void encodedJobsCarryTheSchemaAndOmitNulls(@ForAll("jobs") MotionJob job) {
        String json = new String(codec.encode(job), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"schema\":\"troupe.motion-job/v1\"").doesNotContain(":null");
        assertThat(List.of(job.batchId() == null, json.contains("\"batchId\""))).containsOnlyOnce(true);
    }
}
