package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return Combinators.combine(ids(128), ids(128).injectNull(0.3), ids(64).injectNull(0.3),
                        Arbitraries.integers().between(-1000, 1000), metadata(), instants().injectNull(0.3),
                        Arbitraries.of(ModelCatalog.builtIn().ids()), inputs())
                .as(MotionJob::new);
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

    private static Arbitrary<String> ids(int maxLength) {
        return Arbitraries.strings().alpha().numeric().withChars("._:-").ofMinLength(1).ofMaxLength(maxLength);
    }

    /** Any characters, including ones JSON must escape and unpaired surrogates. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(40);
    }

    private static Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(text(), text()).ofMaxSize(5);
    }

    private static Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(946_684_800L, 4_102_444_800L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
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

    private static Arbitrary<GenerationInput> inputs() {
        Arbitrary<String> prompt = Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(s -> !s.isBlank());
        Arbitrary<String> photo = Arbitraries.of("asset://asset_p1", "https://cdn.example.com/p.png", Fixtures.PNG_DATA_URI);
        Arbitrary<String> video = Arbitraries.of("asset://asset_v-1", "https://cdn.example.com/v.mp4", Fixtures.MP4_DATA_URI);
        return Combinators.combine(prompt, Arbitraries.of("9:16", "16:9", "1:1", "4:3", "3:4"),
                        Arbitraries.longs().between(3, 15), Arbitraries.of(true, false), photo, video)
                .as((p, ratio, seconds, audio, ref, motion) -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("prompt", p);
                    fields.put("aspectRatio", ratio);
                    fields.put("duration", seconds);
                    fields.put("audioEnabled", audio);
                    fields.put("referencePhoto", ref);
                    fields.put("motionVideo", motion);
                    return new GenerationInput(fields);
                });
    }

    @Property(tries = 100)
    void encodedJobsCarryTheSchemaAndOmitNulls(@ForAll("jobs") MotionJob job) {
        String json = new String(codec.encode(job), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"schema\":\"troupe.motion-job/v1\"").doesNotContain(":null");
        assertThat(List.of(job.batchId() == null, json.contains("\"batchId\""))).containsOnlyOnce(true);
    }
}
