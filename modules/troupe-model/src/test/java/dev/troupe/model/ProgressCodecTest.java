package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The progress events' wire form: every kind the codec writes is read back and matches its schema; bad ones name their field. */
class ProgressCodecTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private static final String WORKER = "workers-1-7f3a9c01";
    private final ProgressCodec codec = new ProgressCodec();

    /** One event of every kind for {@code job}. */
    static List<ProgressEvent> everyKind(MotionJob job, Instant at) {
        return List.of(ProgressEvent.admitted(job, at, WORKER),
                ProgressEvent.parked(job, at, WORKER, at.plusSeconds(3600), ProgressEvent.BUDGET_EXHAUSTED),
                ProgressEvent.held(job, at, null, ProgressEvent.PAUSED),
                ProgressEvent.submitted(job, at, WORKER, "gen_1", 1),
                ProgressEvent.retrying(job, at, WORKER, 2, "GIVON_UNAVAILABLE 5xx", at.plusSeconds(4)),
                ProgressEvent.finished(job, at, WORKER, JobStatus.SUCCEEDED));
    }

    private static MotionJob job(String batchId, String tenant, int run) {
        return new MotionJob("spring:ada:salsa", batchId, tenant, 5, Map.of(), null, ModelCatalog.DEFAULT_MODEL,
                new GenerationInput(Map.of("prompt", "p", "referencePhoto", "asset://asset_p1", "motionVideo", "asset://asset_v1")), run);
    }

    @Test
    void everyKindOfEventIsReadBackAndMatchesItsSchema() {
        for (MotionJob job : List.of(job("spring", "studio-a", 1), job(null, null, 3))) {
            for (ProgressEvent event : everyKind(job, AT)) {
                byte[] written = codec.encode(event);
                assertThat(codec.decode(written)).as(new String(written, StandardCharsets.UTF_8)).isEqualTo(new ProgressCodec.Event(event));
                assertThat(RecordSchemas.errors(RecordSchema.PROGRESS, written)).as(event.toString()).isEmpty();
            }
        }
        assertThat(everyKind(job(null, null, 1), AT)).extracting(ProgressEvent::kind).containsExactly(ProgressEvent.Kind.values());
    }

    @Test
    void anEventWritesOnlyTheFieldsOfItsKind() {
        String parked = new String(codec.encode(ProgressEvent.parked(job("spring", "studio-a", 1), AT, WORKER,
                Instant.parse("2026-12-04T00:00:00Z"), ProgressEvent.BUDGET_EXHAUSTED)), StandardCharsets.UTF_8);
        assertThat(parked).isEqualTo("{\"schema\":\"troupe.progress/v1\",\"kind\":\"PARKED\",\"jobId\":\"spring:ada:salsa\",\"run\":1,"
                + "\"batchId\":\"spring\",\"tenant\":\"studio-a\",\"at\":\"2026-12-03T10:00:00Z\",\"worker\":\"" + WORKER + "\","
                + "\"resumesAt\":\"2026-12-04T00:00:00Z\",\"reason\":\"BUDGET_EXHAUSTED\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"kind\":\"ADMITTED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\"}|schema",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"STARTED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\"}|kind",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"ADMITTED\",\"jobId\":\"a b\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\"}|jobId",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"ADMITTED\",\"jobId\":\"j\",\"run\":0,\"at\":\"2026-12-03T10:00:00Z\"}|run",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"ADMITTED\",\"jobId\":\"j\",\"at\":\"2026-12-03T10:00:00Z\"}|run",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"ADMITTED\",\"jobId\":\"j\",\"run\":1,\"at\":\"yesterday\"}|at",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"ADMITTED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\",\"tenant\":\"a b\"}|tenant",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"PARKED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\",\"reason\":\"X\"}|resumesAt",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"PARKED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\",\"resumesAt\":\"2026-12-03T11:00:00Z\"}|reason",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"SUBMITTED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\",\"attempt\":1}|generationId",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"SUBMITTED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\",\"generationId\":\"g\",\"attempt\":\"1\"}|attempt",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"RETRYING\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\",\"attempt\":1,\"reason\":\"x\"}|retryAt",
        "{\"schema\":\"troupe.progress/v1\",\"kind\":\"FINISHED\",\"jobId\":\"j\",\"run\":1,\"at\":\"2026-12-03T10:00:00Z\",\"status\":\"DONE\"}|status",
    })
    void anEventThatCannotBeReadIsUnreadableNamingItsFieldAndTheSchemaRefusesItToo(String json, String field) {
        byte[] record = json.getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decode(record)).isInstanceOfSatisfying(ProgressCodec.Unreadable.class,
                unreadable -> assertThat(unreadable.field()).isEqualTo(field));
        assertThat(RecordSchemas.errors(RecordSchema.PROGRESS, record)).isNotEmpty();
    }

    @Test
    void anEventWithoutWhatItsKindNeedsIsNoEvent() {
        assertThatThrownBy(() -> ProgressEvent.parked(job(null, null, 1), AT, WORKER, null, "x"))
                .hasMessage("a PARKED event needs its resumesAt");
        assertThatThrownBy(() -> codec.encode(ProgressEvent.submitted(job(null, null, 1), AT, WORKER, "gen 1", 1)))
                .hasMessageContaining("generationId");
        assertThat(codec.decode(new byte[0])).isInstanceOf(ProgressCodec.Unreadable.class);
        assertThat(codec.decode("[".getBytes(StandardCharsets.UTF_8))).isInstanceOf(ProgressCodec.Unreadable.class);
    }
}
