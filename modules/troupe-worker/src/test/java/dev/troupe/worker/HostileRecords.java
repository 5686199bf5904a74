package dev.troupe.worker;

import static dev.troupe.worker.HostileJobs.clipped;
import static dev.troupe.worker.HostileJobs.in;
import static dev.troupe.worker.JobText.job;
import static dev.troupe.worker.JobText.nested;
import static dev.troupe.worker.JobText.str;
import static dev.troupe.worker.RawBytes.concat;
import static dev.troupe.worker.RawBytes.splice;
import static dev.troupe.worker.RawBytes.utf8;

import dev.troupe.worker.HostileRecord.Key;
import dev.troupe.worker.HostileRecord.Outcome;
import dev.troupe.worker.HostileRecord.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Records a hostile or careless producer writes to {@code troupe.jobs}, each with the outcome the
 * worker owes it: deep nesting, huge and odd numbers, invalid UTF-8, wrong types, huge strings, many
 * fields, sizes at the limits, and valid jobs among them. Keys and headers are hostile too.
 * The fixed cases are {@link HostileJobs}; {@link HostileRecordsTest} checks that each outcome is what
 * the codec makes of the value.
 */
final class HostileRecords {

    /** validation.max-record-bytes by default. */
    static final int MAX_RECORD_BYTES = 1_000_000;
    /**
     * The largest value produced: with a key of at most 40 bytes and no headers its batch stays under the
     * broker's message.max.bytes (1,048,588), but a dead-letter copy with the worker's headers does not
     * fit the producer's default max.request.size (1,048,576).
     */
    static final int NEAR_BROKER_LIMIT = 1_048_400;
    static final int LARGE = 900_000;

    private HostileRecords() {
    }

    static Arbitrary<HostileRecord> records() {
        return values().flatMap(value -> Combinators.combine(keys(value.large()), value.large() ? Arbitraries.just(List.<Header>of()) : headers())
                .as((key, headers) -> new HostileRecord(value, key, headers)));
    }

    static Arbitrary<Value> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of(HostileJobs.catalogue())),
                Tuple.of(2, deepNesting()),
                Tuple.of(3, oddNumbers()),
                Tuple.of(2, invalidUtf8()),
                Tuple.of(2, nearLimitSizes()),
                Tuple.of(1, randomBytes()));
    }

    // ---- generated cases ------------------------------------------------------------------------------

    /** 33 to 100,000 levels of arrays or objects, at the root or inside the job's fields: nothing reads them. */
    static Arbitrary<Value> deepNesting() {
        Arbitrary<Integer> depth = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(33)),
                Tuple.of(3, Arbitraries.integers().between(34, 1_000)),
                Tuple.of(2, Arbitraries.integers().between(1_001, 100_000)),
                Tuple.of(1, Arbitraries.just(100_000)));
        Arbitrary<String> where = Arbitraries.of("root", "input", "input.prompt", "metadata", "metadata value", "unknown top-level field");
        return Combinators.combine(depth, Arbitraries.of(true, false), where).as((levels, arrays, at) -> {
            String open = arrays ? "[" : "{\"a\":";
            String close = arrays ? "]" : "}";
            String deep = nested(open, close, levels, arrays ? "" : "1");
            Function<String, JobText> build = switch (at) {
                case "root" -> null;
                case "input" -> id -> job(id).put("input", deep);
                case "input.prompt" -> id -> in(job(id), "prompt", deep);
                case "metadata" -> id -> job(id).put("metadata", deep);
                case "metadata value" -> id -> job(id).put("metadata", new JobText().put("k", deep));
                default -> id -> job(id).put("deep", deep);
            };
            String kind = "nested " + levels + " deep (" + (arrays ? "arrays" : "objects") + ") at " + at;
            return build == null ? Value.of(kind, Outcome.DEAD_LETTER, id -> utf8(deep)) : Value.json(kind, Outcome.DEAD_LETTER, build);
        });
    }

    /** A number no job should hold, in a numeric field or elsewhere. */
    static Arbitrary<Value> oddNumbers() {
        Arbitrary<OddNumber> number = Arbitraries.of(OddNumber.values());
        Arbitrary<String> field = Arbitraries.of("priority", "input.duration", "metadata value", "unknown top-level field",
                "unknown input field", "jobId", "tenant", "notAfter");
        // A number written as a string is a valid jobId ("5") that two records could share: not in jobId.
        return Combinators.combine(number, field).as(Tuple::of)
                .filter(t -> !(t.get2().equals("jobId") && t.get1().string()))
                .map(t -> {
                    OddNumber n = t.get1();
                    String at = t.get2();
                    return Value.json(at + " = " + clipped(n.text), n.outcomeIn(at), id -> switch (at) {
                        case "priority" -> job(id).put("priority", n.text);
                        case "input.duration" -> in(job(id), "duration", n.text);
                        case "metadata value" -> job(id).put("metadata", new JobText().put("k", n.text));
                        case "unknown top-level field" -> job(id).put("odd", n.text);
                        case "unknown input field" -> in(job(id), "odd", n.text);
                        case "jobId" -> job(id).put("jobId", n.text);
                        case "tenant" -> job(id).put("tenant", n.text);
                        default -> job(id).put("notAfter", n.text);
                    });
                });
    }

    /** Bytes that are not UTF-8, at the start, inside a string, in a name, in the jobId or at the end. */
    static Arbitrary<Value> invalidUtf8() {
        Arbitrary<Tuple.Tuple2<String, byte[]>> sequence = Arbitraries.of(
                Tuple.of("lone continuation 80", RawBytes.of(0x80)),
                Tuple.of("lone continuation BF", RawBytes.of(0xBF)),
                Tuple.of("overlong C0 AF", RawBytes.of(0xC0, 0xAF)),
                Tuple.of("overlong E0 80 AF", RawBytes.of(0xE0, 0x80, 0xAF)),
                Tuple.of("overlong F0 80 80 AF", RawBytes.of(0xF0, 0x80, 0x80, 0xAF)),
                Tuple.of("surrogate ED A0 80", RawBytes.of(0xED, 0xA0, 0x80)),
                Tuple.of("surrogate pair ED A0 BD ED B8 80", RawBytes.of(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)),
                Tuple.of("truncated E2 82", RawBytes.of(0xE2, 0x82)),
                Tuple.of("truncated F0 9F 98", RawBytes.of(0xF0, 0x9F, 0x98)),
                Tuple.of("byte FF", RawBytes.of(0xFF)),
                Tuple.of("five-byte F8 88 80 80 80", RawBytes.of(0xF8, 0x88, 0x80, 0x80, 0x80)),
                Tuple.of("past U+10FFFF F4 90 80 80", RawBytes.of(0xF4, 0x90, 0x80, 0x80)),
                Tuple.of("Latin-1 E9", RawBytes.of(0xE9)));
        Arbitrary<String> where = Arbitraries.of("start", "prompt", "field name", "jobId", "end", "end, cut inside a string");
        return Combinators.combine(sequence, where).as((bad, at) -> Value.of("invalid UTF-8 (" + bad.get1() + ") at " + at,
                Outcome.DEAD_LETTER, id -> {
                    String marker = "~BAD~";
                    return switch (at) {
                        case "start" -> concat(bad.get2(), job(id).bytes());
                        case "prompt" -> splice(in(job(id), "prompt", str("dance " + marker + " now")).bytes(), marker, bad.get2());
                        case "field name" -> splice(job(id).put("x" + marker, "1").bytes(), marker, bad.get2());
                        case "jobId" -> splice(job(id).put("jobId", str(id + marker)).bytes(), marker, bad.get2());
                        case "end" -> concat(job(id).bytes(), bad.get2());
                        default -> {
                            String text = job(id).render();
                            yield concat(utf8(text.substring(0, text.length() - 5)), bad.get2());
                        }
                    };
                }));
    }

    /** Records just under and over validation.max-record-bytes, and up to just under the broker's limit. */
    static Arbitrary<Value> nearLimitSizes() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(999_999, MAX_RECORD_BYTES)),
                Tuple.of(2, Arbitraries.just(MAX_RECORD_BYTES + 1)),
                Tuple.of(1, Arbitraries.integers().between(MAX_RECORD_BYTES + 2, 1_047_999)),
                Tuple.of(2, Arbitraries.of(1_048_000, NEAR_BROKER_LIMIT)));
        Arbitrary<String> shape = Arbitraries.of("a valid job", "a huge prompt", "invalid UTF-8 at the end", "no jobId",
                "no jobId, invalid UTF-8 at the end", "jobId last, after the padding");
        return Combinators.combine(size, shape).as((bytes, what) -> {
            boolean over = bytes > MAX_RECORD_BYTES;
            boolean jobId = !what.startsWith("no jobId");
            Outcome outcome;
            if (!jobId) {
                outcome = Outcome.DEAD_LETTER;
            } else if (over || what.equals("a huge prompt")) {
                // Over the limit the record is not read, but its top-level jobId is still found for the result.
                outcome = Outcome.REJECTED;
            } else {
                outcome = what.startsWith("invalid UTF-8") ? Outcome.DEAD_LETTER : Outcome.SUCCEEDED;
            }
            return Value.large(String.format("%,d bytes: %s", bytes, what), outcome, id -> {
                boolean badEnd = what.contains("invalid UTF-8");
                int target = badEnd ? bytes - 1 : bytes;
                JobText j = job(id);
                if (!jobId) {
                    j.remove("jobId");
                }
                if (what.equals("a huge prompt")) {
                    j.input().put("prompt", str(""));
                    int missing = target - j.bytes().length;
                    j.input().put("prompt", str("p".repeat(missing)));
                } else if (what.startsWith("jobId last")) {
                    j.remove("jobId").paddedTo(target - ",\"jobId\":".length() - str(id).length()).put("jobId", str(id));
                } else {
                    j.paddedTo(target);
                }
                byte[] value = badEnd ? concat(j.bytes(), RawBytes.of(0xFF)) : j.bytes();
                if (value.length != bytes) {
                    throw new IllegalStateException(what + ": built " + value.length + " bytes, not " + bytes);
                }
                return value;
            });
        });
    }

    static Arbitrary<Value> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2_000)
                .map(random -> Value.of(random.length + " random bytes", Outcome.DEAD_LETTER, id -> random));
    }

    // ---- keys and headers ------------------------------------------------------------------------------

    /** The jobId, null, random bytes (often not UTF-8) or, for small values, 100,000 bytes. */
    static Arbitrary<Key> keys(boolean largeValue) {
        Arbitrary<Key> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32)
                .map(key -> new Key("key=" + key.length + " random bytes", id -> key));
        Arbitrary<Key> huge = Arbitraries.just(new Key("key=100,000 bytes", id -> new byte[100_000]));
        return largeValue
                ? Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(Key.JOB_ID)), Tuple.of(2, Arbitraries.just(Key.NULL)), Tuple.of(2, random))
                : Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(Key.JOB_ID)), Tuple.of(2, Arbitraries.just(Key.NULL)),
                        Tuple.of(2, random), Tuple.of(1, huge));
    }

    /** Mostly none; else a few odd ones, a thousand, one of 100,000 bytes, or ones that pose as the worker's own. */
    static Arbitrary<List<Header>> headers() {
        Arbitrary<Header> odd = Combinators.combine(
                        Arbitraries.strings().ofMinLength(0).ofMaxLength(40),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(200).injectNull(0.2))
                .as(RecordHeader::new);
        List<Header> thousand = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            thousand.add(new RecordHeader("h" + i, utf8("v" + i)));
        }
        List<Header> posing = List.of(
                new RecordHeader("troupe.source.partition", utf8("99")),
                new RecordHeader("troupe.source.offset", utf8("0")),
                new RecordHeader("troupe.error.code", utf8("NOT_YOURS")));
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(List.of())),
                Tuple.of(3, odd.list().ofMinSize(1).ofMaxSize(5)),
                Tuple.of(1, Arbitraries.just(List.copyOf(thousand))),
                Tuple.of(1, Arbitraries.just(List.<Header>of(new RecordHeader("big", new byte[100_000])))),
                Tuple.of(1, Arbitraries.just(posing)));
    }


}
