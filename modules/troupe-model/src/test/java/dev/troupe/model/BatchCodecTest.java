package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The records of troupe.batches: each one the codec writes is read back as itself and matches its schema; any bytes,
 * and any record with a field replaced, give a decision (never a throw), and the schema agrees with the codec.
 */
class BatchCodecTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private final BatchCodec codec = new BatchCodec();

    @Property(tries = 300)
    void aDescriptorReadsBackAsItselfAndMatchesItsSchema(@ForAll("descriptors") BatchDescriptor descriptor) {
        byte[] written = codec.encode(descriptor);
        assertThat(codec.decode(written)).isEqualTo(new BatchCodec.Descriptor(descriptor));
        assertThat(RecordSchemas.errors(RecordSchema.BATCH, written)).isEmpty();
    }

    @Property(tries = 300)
    void aCompletionReadsBackAsItselfAndMatchesItsSchema(@ForAll("completions") BatchCompletion completion) {
        byte[] written = codec.encode(completion);
        assertThat(codec.decode(written)).isEqualTo(new BatchCodec.Completion(completion));
        assertThat(RecordSchemas.errors(RecordSchema.BATCH_COMPLETION, written)).isEmpty();
        assertThat(written.length).isLessThan(BatchCodec.MAX_RECORD_BYTES);
    }

    @Property(tries = 1_000)
    void anyBytesGiveADecision(@ForAll byte[] bytes) {
        assertDecision(codec.decode(bytes));
    }

    @Property(tries = 1_000)
    void aDescriptorWithAFieldReplacedGivesADecisionTheSchemaAgreesWith(@ForAll("descriptors") BatchDescriptor descriptor,
            @ForAll("descriptorFields") String field, @ForAll("values") JsonNode value) {
        ObjectNode tree = (ObjectNode) Fixtures.json(new String(codec.encode(descriptor), StandardCharsets.UTF_8));
        tree.set(field, value);
        assertAgreement(RecordSchema.BATCH, tree, BatchCodec.Descriptor.class);
    }

    @Property(tries = 1_000)
    void aCompletionWithAFieldReplacedGivesADecisionTheSchemaAgreesWith(@ForAll("completions") BatchCompletion completion,
            @ForAll("completionFields") String field, @ForAll("values") JsonNode value) {
        ObjectNode tree = (ObjectNode) Fixtures.json(new String(codec.encode(completion), StandardCharsets.UTF_8));
        if (field.startsWith("counts.")) {
            ((ObjectNode) tree.get("counts")).set(field.substring("counts.".length()), value);
        } else if (field.startsWith("item.") && tree.get("unsuccessful").size() > 0) {
            ((ObjectNode) tree.get("unsuccessful").get(0)).set(field.substring("item.".length()), value);
        } else {
            tree.set(field, value);
        }
        BatchCodec.Decoded decoded = codec.decode(Fixtures.bytes(tree));
        assertDecision(decoded);
        // The sums (counts to jobs, listed and unlisted to the unsuccessful) are the codec's alone (said in the description).
        if (decoded instanceof BatchCodec.Completion) {
            assertThat(RecordSchemas.errors(RecordSchema.BATCH_COMPLETION, tree.toString())).as(tree.toString()).isEmpty();
        }
    }

    private void assertAgreement(RecordSchema schema, ObjectNode tree, Class<?> kind) {
        BatchCodec.Decoded decoded = codec.decode(Fixtures.bytes(tree));
        assertDecision(decoded);
        assertThat(RecordSchemas.errors(schema, tree.toString()).isEmpty()).as(tree + " read as " + decoded).isEqualTo(kind.isInstance(decoded));
    }

    private static void assertDecision(BatchCodec.Decoded decoded) {
        assertThat(decoded).isNotNull();
        if (decoded instanceof BatchCodec.Unreadable unreadable) {
            assertThat(unreadable.reason()).isNotBlank().hasSizeLessThan(1_100);
        }
    }

    @Test
    void aBatchOfAnySizeCompletesInARecordFarUnderKafkasLimit() {
        List<BatchCompletion.Unsuccessful> listed = new ArrayList<>();
        for (int i = 0; i < BatchCompletion.MAX_LISTED; i++) {
            listed.add(new BatchCompletion.Unsuccessful("j".repeat(120) + i, 1000, JobStatus.FAILED, "C".repeat(200), "\u4e2d".repeat(5_000)));
        }
        Map<JobStatus, Integer> counts = new EnumMap<>(Map.of(JobStatus.FAILED, BatchDescriptor.MAX_JOBS));
        BatchCompletion completion = new BatchCompletion("b".repeat(128), "t".repeat(64), BatchDescriptor.MAX_JOBS, counts,
                Tokens.of(105L * BatchDescriptor.MAX_JOBS), AT, listed, BatchDescriptor.MAX_JOBS - listed.size());

        byte[] written = codec.encode(completion);

        assertThat(written.length).isLessThan(BatchCodec.MAX_RECORD_BYTES).isLessThan(1_000_000 / 4);
        assertThat(codec.decode(written)).isEqualTo(new BatchCodec.Completion(completion));
        assertThat(RecordSchemas.errors(RecordSchema.BATCH_COMPLETION, written)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"batchId\":\"b\",\"jobs\":1,\"estimatedTokens\":\"21\",\"createdAt\":\"2026-12-03T10:00:00Z\"}|schema",
        "{\"schema\":\"troupe.batch/v2\",\"batchId\":\"b\",\"jobs\":1,\"estimatedTokens\":\"21\",\"createdAt\":\"2026-12-03T10:00:00Z\"}|schema",
        "{\"schema\":\"troupe.batch/v1\",\"batchId\":\"a b\",\"jobs\":1,\"estimatedTokens\":\"21\",\"createdAt\":\"2026-12-03T10:00:00Z\"}|batchId",
        "{\"schema\":\"troupe.batch/v1\",\"batchId\":\"b\",\"jobs\":0,\"estimatedTokens\":\"21\",\"createdAt\":\"2026-12-03T10:00:00Z\"}|jobs",
        "{\"schema\":\"troupe.batch/v1\",\"batchId\":\"b\",\"jobs\":1000001,\"estimatedTokens\":\"21\",\"createdAt\":\"2026-12-03T10:00:00Z\"}|jobs",
        "{\"schema\":\"troupe.batch/v1\",\"batchId\":\"b\",\"jobs\":1,\"estimatedTokens\":21,\"createdAt\":\"2026-12-03T10:00:00Z\"}|estimatedTokens",
        "{\"schema\":\"troupe.batch/v1\",\"batchId\":\"b\",\"jobs\":1,\"estimatedTokens\":\"-1\",\"createdAt\":\"2026-12-03T10:00:00Z\"}|estimatedTokens",
        "{\"schema\":\"troupe.batch/v1\",\"batchId\":\"b\",\"jobs\":1,\"estimatedTokens\":\"21\",\"createdAt\":\"today\"}|createdAt",
        "{\"schema\":\"troupe.batch/v1\",\"batchId\":\"b\",\"tenant\":\"a b\",\"jobs\":1,\"estimatedTokens\":\"21\",\"createdAt\":\"2026-12-03T10:00:00Z\"}|tenant",
        "{\"schema\":\"troupe.batch-completion/v1\",\"batchId\":\"b\",\"jobs\":1,\"counts\":{\"SUCCEEDED\":1,\"FAILED\":0,\"REJECTED\":0,\"EXPIRED\":0},\"costTokens\":\"21\",\"completedAt\":\"2026-12-03T10:00:00Z\",\"unsuccessful\":[],\"unlisted\":0}|counts.CANCELLED",
        "{\"schema\":\"troupe.batch-completion/v1\",\"batchId\":\"b\",\"jobs\":1,\"counts\":{\"SUCCEEDED\":0,\"FAILED\":1,\"REJECTED\":0,\"EXPIRED\":0,\"CANCELLED\":0},\"costTokens\":\"0\",\"completedAt\":\"2026-12-03T10:00:00Z\",\"unsuccessful\":[{\"jobId\":\"j\",\"run\":1,\"status\":\"DONE\"}],\"unlisted\":0}|unsuccessful[0].status",
        "{\"schema\":\"troupe.batch-completion/v1\",\"batchId\":\"b\",\"jobs\":1,\"counts\":{\"SUCCEEDED\":0,\"FAILED\":1,\"REJECTED\":0,\"EXPIRED\":0,\"CANCELLED\":0},\"costTokens\":\"0\",\"completedAt\":\"2026-12-03T10:00:00Z\",\"unsuccessful\":[{\"jobId\":\"j\",\"run\":0,\"status\":\"FAILED\"}],\"unlisted\":0}|unsuccessful[0].run",
    })
    void aRecordThatCannotBeReadIsUnreadableNamingItsFieldAndTheSchemaRefusesItToo(String json, String field) {
        byte[] record = json.getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decode(record)).isInstanceOfSatisfying(BatchCodec.Unreadable.class,
                unreadable -> assertThat(unreadable.field()).isEqualTo(field));
        RecordSchema schema = json.contains("completion") ? RecordSchema.BATCH_COMPLETION : RecordSchema.BATCH;
        assertThat(RecordSchemas.errors(schema, record)).isNotEmpty();
    }

    @Test
    void countsThatDoNotAddUpAreRefusedByTheCodecAndTheRecord() {
        String json = "{\"schema\":\"troupe.batch-completion/v1\",\"batchId\":\"b\",\"jobs\":2,\"counts\":{\"SUCCEEDED\":1,\"FAILED\":0,"
                + "\"REJECTED\":0,\"EXPIRED\":0,\"CANCELLED\":0},\"costTokens\":\"21\",\"completedAt\":\"2026-12-03T10:00:00Z\","
                + "\"unsuccessful\":[],\"unlisted\":0}";
        assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(BatchCodec.Unreadable.class,
                unreadable -> assertThat(unreadable.reason()).isEqualTo("counts add up to 1, not to jobs (2)"));
        assertThatThrownBy(() -> new BatchCompletion("b", null, 2, Map.of(JobStatus.SUCCEEDED, 1), Tokens.ZERO, AT, List.of(), 0))
                .hasMessageContaining("counts add up to 1");
    }

    // ---- generators

    @Provide
    Arbitrary<BatchDescriptor> descriptors() {
        return Combinators.combine(ids(), tenants(), Arbitraries.integers().between(1, BatchDescriptor.MAX_JOBS),
                Arbitraries.longs().between(0, 105_000_000_000L).map(Tokens::ofMilli), instants())
                .as(BatchDescriptor::new);
    }

    @Provide
    Arbitrary<BatchCompletion> completions() {
        Arbitrary<BatchCompletion.Unsuccessful> job = Combinators.combine(ids(), Arbitraries.integers().between(1, MotionJob.MAX_RUN),
                Arbitraries.of(JobStatus.FAILED, JobStatus.REJECTED, JobStatus.EXPIRED, JobStatus.CANCELLED),
                Arbitraries.strings().alpha().ofMaxLength(80).injectNull(0.3),
                Arbitraries.strings().ofMaxLength(400).injectNull(0.3))
                .as(BatchCompletion.Unsuccessful::new);
        return Combinators.combine(ids(), tenants(), Arbitraries.integers().between(0, 50_000), job.list().ofMaxSize(BatchCompletion.MAX_LISTED),
                Arbitraries.integers().between(0, 5_000), Arbitraries.longs().between(0, 1_000_000_000L), instants())
                .as((batchId, tenant, succeeded, listed, unlisted, milli, at) -> {
                    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
                    counts.put(JobStatus.SUCCEEDED, succeeded);
                    listed.forEach(u -> counts.merge(u.status(), 1, Integer::sum));
                    counts.merge(JobStatus.FAILED, unlisted, Integer::sum);
                    int jobs = succeeded + listed.size() + unlisted;
                    if (jobs == 0) {
                        counts.put(JobStatus.SUCCEEDED, 1);
                        jobs = 1;
                    }
                    return new BatchCompletion(batchId, tenant, jobs, counts, Tokens.ofMilli(milli), at, listed, unlisted);
                });
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(128);
    }

    private static Arbitrary<String> tenants() {
        return Arbitraries.strings().withChars("studio-ab0").ofMinLength(1).ofMaxLength(64).injectNull(0.3);
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli);
    }

    @Provide
    Arbitrary<String> descriptorFields() {
        return Arbitraries.of("schema", "batchId", "tenant", "jobs", "estimatedTokens", "createdAt");
    }

    @Provide
    Arbitrary<String> completionFields() {
        return Arbitraries.of("schema", "batchId", "tenant", "jobs", "counts", "counts.SUCCEEDED", "counts.CANCELLED", "costTokens",
                "completedAt", "unsuccessful", "unlisted", "item.jobId", "item.run", "item.status", "item.code", "item.message");
    }

    @Provide
    Arbitrary<JsonNode> values() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Arbitraries.of(f.nullNode(), f.textNode(""), f.textNode("a b"), f.textNode("21"), f.textNode("-1"), f.textNode("1.0001"),
                f.textNode("2026-12-03T10:00:00Z"), f.textNode("FAILED"), f.textNode("SUCCEEDED"), f.numberNode(0), f.numberNode(-1),
                f.numberNode(3), f.numberNode(1.5), f.numberNode(2_000_000), f.numberNode(Long.MAX_VALUE), f.booleanNode(true),
                f.arrayNode(), f.objectNode(), f.textNode("x".repeat(300)));
    }
}
