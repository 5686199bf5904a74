package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JournalCodecPropertyTest {

    private final JournalCodec codec = JournalCodec.defaults();

    @Property(tries = 500)
    void anEntryReadsBackAsItself(@ForAll("entries") JournalEntry entry) {
        assertThat(codec.decode(codec.encode(entry))).isEqualTo(new JournalDecodeResult.Decoded(entry));
    }

    @Property(tries = 1_000)
    void anyBytesGiveADecision(@ForAll byte[] bytes) {
        assertDecision(codec.decode(bytes));
    }

    @Property(tries = 1_000)
    void aValidEntryWithBytesChangedGivesADecision(@ForAll("entries") JournalEntry entry, @ForAll("edits") List<Edit> edits) {
        byte[] bytes = codec.encode(entry);
        for (Edit edit : edits) {
            bytes = edit.apply(bytes);
        }
        assertDecision(codec.decode(bytes));
    }

    @Property(tries = 1_000)
    void aValidEntryWithAFieldReplacedGivesADecision(@ForAll("entries") JournalEntry entry,
            @ForAll("fieldNames") String field, @ForAll("jsonValues") JsonNode value) {
        ObjectNode tree = (ObjectNode) Fixtures.json(new String(codec.encode(entry), StandardCharsets.UTF_8));
        if (field.startsWith("job.") && tree.get("job") instanceof ObjectNode job) {
            job.set(field.substring("job.".length()), value);
        } else {
            tree.set(field, value);
        }

        JournalDecodeResult result = codec.decode(Fixtures.bytes(tree));

        assertDecision(result);
        if (result instanceof JournalDecodeResult.Decoded decoded) {
            assertThat(decoded.entry().jobId()).matches("[A-Za-z0-9._:-]{1,128}(#[1-9][0-9]{0,3})?");
        }
    }

    private static void assertDecision(JournalDecodeResult result) {
        assertThat(result).isNotNull();
        if (result instanceof JournalDecodeResult.Unreadable unreadable) {
            assertThat(unreadable.toString()).hasSizeLessThan(1_100);
            assertThat(unreadable.rule()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<JournalEntry> entries() {
        return ModelArbitraries.journalEntries();
    }

    @Provide
    Arbitrary<String> fieldNames() {
        return Arbitraries.of("schema", "kind", "jobId", "at", "attempt", "generationId", "submittedAt", "resumesAt", "job",
                "enqueuedAt", "status", "costTokens", "attempts", "job.jobId", "job.input", "job.model", "job.metadata");
    }

    @Provide
    Arbitrary<JsonNode> jsonValues() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(f::textNode),
                Arbitraries.of("SUBMITTING", "ACCEPTED", "PARKED", "FINISHED", "SUCCEEDED", "troupe.journal/v1",
                        "2026-12-02T10:15:30Z", "21", "-1", "5.5", "job-1").map(f::textNode),
                Arbitraries.longs().map(f::numberNode),
                Arbitraries.integers().between(-2, 1002).map(f::numberNode),
                Arbitraries.doubles().map(f::numberNode),
                Arbitraries.of(true, false).map(f::booleanNode),
                Arbitraries.just(f.nullNode()));
        return Arbitraries.oneOf(scalars,
                scalars.list().ofMaxSize(4).map(items -> {
                    var array = f.arrayNode();
                    items.forEach(array::add);
                    return (JsonNode) array;
                }),
                scalars.list().ofMaxSize(4).map(items -> {
                    ObjectNode object = f.objectNode();
                    for (int i = 0; i < items.size(); i++) {
                        object.set("k" + i, items.get(i));
                    }
                    return (JsonNode) object;
                }));
    }

    /** One change to a record's bytes: a byte set, a range cut out, or bytes put in. */
    record Edit(int kind, double where, int length, byte value) {
        byte[] apply(byte[] bytes) {
            int at = (int) (where * bytes.length);
            List<Byte> out = new ArrayList<>(bytes.length + length);
            for (byte b : bytes) {
                out.add(b);
            }
            switch (kind) {
                case 0 -> {
                    if (at < out.size()) {
                        out.set(at, value);
                    }
                }
                case 1 -> {
                    for (int i = 0; i < length && at < out.size(); i++) {
                        out.remove(at);
                    }
                }
                default -> {
                    for (int i = 0; i < length; i++) {
                        out.add(Math.min(at, out.size()), (byte) (value + i));
                    }
                }
            }
            byte[] result = new byte[out.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = out.get(i);
            }
            return result;
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Byte> structural = Arbitraries.of((byte) '{', (byte) '}', (byte) '[', (byte) '"', (byte) ',', (byte) ':',
                (byte) '\\', (byte) '0', (byte) 0xC3, (byte) 0xFF, (byte) 0);
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 8), Arbitraries.oneOf(structural, Arbitraries.bytes()))
                .as(Edit::new).list().ofMinSize(1).ofMaxSize(4);
    }
}
