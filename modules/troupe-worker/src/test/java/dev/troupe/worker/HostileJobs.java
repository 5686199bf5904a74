package dev.troupe.worker;

import static dev.troupe.worker.JobText.dataUri;
import static dev.troupe.worker.JobText.job;
import static dev.troupe.worker.JobText.nested;
import static dev.troupe.worker.JobText.str;
import static dev.troupe.worker.RawBytes.concat;
import static dev.troupe.worker.RawBytes.utf8;

import dev.troupe.worker.HostileRecord.Outcome;
import dev.troupe.worker.HostileRecord.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * The fixed hostile values, each with the outcome the worker owes it: valid jobs at the edges of every
 * rule, a valid jobId with every other field of a wrong type or size (REJECTED), and records with no
 * readable valid jobId or no readable JSON object at all (a dead letter).
 */
final class HostileJobs {

    static final String EMOJI = "\uD83D\uDE00";

    private HostileJobs() {
    }

    static List<Value> catalogue() {
        List<Value> cases = new ArrayList<>();
        cases.add(ok("valid job", j -> j));
        cases.add(ok("valid, tenant and priority 1000", j -> j.put("tenant", str("studio-a")).put("priority", "1000")));
        cases.add(ok("valid, priority -1000", j -> j.put("priority", "-1000")));
        cases.add(ok("valid, duration 15, 16:9, audio, kling-2.6", j -> {
            j.input().put("duration", "15").put("aspectRatio", str("16:9")).put("audioEnabled", "true");
            return j.put("model", str("kling-2.6-motion"));
        }));
        cases.add(ok("valid, null batchId, tenant, priority, metadata, notAfter", j -> j.put("batchId", "null")
                .put("tenant", "null").put("priority", "null").put("metadata", "null").put("notAfter", "null")));
        cases.add(ok("valid, notAfter at Instant.MAX", j -> j.put("notAfter", str("+1000000000-12-31T23:59:59.999999999Z"))));
        cases.add(ok("valid, asset:// photo", j -> in(j, "referencePhoto", str("asset://asset_photo_01"))));
        cases.add(ok("valid, prompt of 2,500 chars", j -> in(j, "prompt", str("p".repeat(2_500)))));
        cases.add(ok("valid, prompt of 2,500 emoji (5,000 UTF-16 units)", j -> in(j, "prompt", str(EMOJI.repeat(2_500)))));
        cases.add(ok("valid, control chars, U+2028 and lone surrogate escapes in prompt and metadata", j -> {
            j.metadata().put("odd", "\"\\ud800\\u0000\\u2028\"");
            return in(j, "prompt", "\"dance\\udc00\\u0001\\u2028\"");
        }));
        cases.add(new Value("valid, jobId of 128 chars", Outcome.SUCCEEDED, false, id -> pad(id, 128), id -> job(id).bytes()));
        cases.add(ok("valid, 64 metadata entries of 2,048 emoji", j -> {
            JobText metadata = new JobText();
            for (int i = 0; i < 64; i++) {
                metadata.put("k" + i, str(EMOJI.repeat(2_048)));
            }
            return j.put("metadata", metadata);
        }));
        cases.add(ok("valid, metadata key of 256 chars", j -> j.put("metadata", new JobText().put("k".repeat(256), str("v")))));
        cases.add(ok("valid, 10,000 unknown top-level fields", j -> {
            for (int i = 0; i < 10_000; i++) {
                j.put("extra" + i, Integer.toString(i));
            }
            return j;
        }));
        cases.add(ok("valid, unknown top-level field nested 31 deep (32 in all)", j -> j.put("deep", nested("[", "]", 31, ""))));
        cases.add(ok("valid, unknown top-level field name of 40,000 chars", j -> j.put("n".repeat(40_000), "1")));
        cases.add(Value.of("valid, whitespace around the object", Outcome.SUCCEEDED, id -> utf8(" \n\t" + job(id).render() + "\r\n ")));
        cases.add(Value.large("valid, data: URI photo of 700,000 bytes", Outcome.SUCCEEDED,
                id -> in(job(id), "referencePhoto", str(dataUri("image/png", 700_000, true))).bytes()));
        cases.add(Value.large("valid, data: URI video of 700,000 bytes", Outcome.SUCCEEDED,
                id -> in(job(id), "motionVideo", str(dataUri("video/mp4", 700_000, true))).bytes()));
        cases.add(Value.json("valid, notAfter in 2000", Outcome.EXPIRED, id -> job(id).put("notAfter", str("2000-01-01T00:00:00Z"))));
        cases.add(Value.json("valid, notAfter at Instant.MIN", Outcome.EXPIRED,
                id -> job(id).put("notAfter", str("-1000000000-01-01T00:00:00Z"))));

        // A valid jobId and something else wrong: a REJECTED result.
        String[][] topLevel = {
                {"schema", "1"}, {"schema", "[]"}, {"schema", "null"}, {"schema", str("troupe.motion-job/v2")},
                {"batchId", "1"}, {"batchId", "{}"}, {"batchId", str("")}, {"batchId", str("has space")}, {"batchId", str("b".repeat(129))},
                {"tenant", "[]"}, {"tenant", "true"}, {"tenant", str("t".repeat(65))}, {"tenant", str("caf\u00e9")},
                {"priority", str("5")}, {"priority", "1.5"}, {"priority", "true"}, {"priority", "{}"}, {"priority", "1001"},
                {"priority", "-1001"}, {"priority", "2147483648"},
                {"metadata", str("m")}, {"metadata", "[]"}, {"metadata", "1"},
                {"notAfter", "1"}, {"notAfter", str("tomorrow")}, {"notAfter", str("2026-13-01T00:00:00Z")}, {"notAfter", "{}"},
                {"model", "1"}, {"model", str("kling-9")}, {"model", "[]"},
                {"input", str("dance")}, {"input", "[]"}, {"input", "1"}, {"input", "true"}, {"input", "null"}};
        for (String[] field : topLevel) {
            cases.add(rejected(field[0] + " = " + clipped(field[1]), j -> j.put(field[0], field[1])));
        }
        cases.add(rejected("schema missing", j -> j.remove("schema")));
        cases.add(rejected("input missing", j -> j.remove("input")));
        String[][] input = {
                {"prompt", "1"}, {"prompt", str("")}, {"prompt", str("   ")}, {"prompt", "null"}, {"prompt", "{}"},
                {"prompt", str("p".repeat(2_501))}, {"prompt", str("p".repeat(100_000))}, {"prompt", str(EMOJI.repeat(2_501))},
                {"aspectRatio", str("2:1")}, {"aspectRatio", "1"},
                {"duration", str("5")}, {"duration", "3.0"}, {"duration", "2"}, {"duration", "16"}, {"duration", "true"},
                {"audioEnabled", str("true")}, {"audioEnabled", "1"},
                {"referencePhoto", "1"}, {"referencePhoto", str("http://assets.example.com/p.png")}, {"referencePhoto", str("ftp://x/p.png")},
                {"referencePhoto", str("https://")}, {"referencePhoto", str("asset://bad id")},
                {"referencePhoto", str("data:video/mp4;base64,AAAA")}, {"referencePhoto", str("data:image/png;base64,!!!!")},
                {"referencePhoto", str("data:image/png,AAAA")}, {"motionVideo", "[]"}, {"motionVideo", str("data:image/png;base64,AAAA")},
                {"extra", "1"}, {"n".repeat(40_000), "1"}};
        for (String[] field : input) {
            cases.add(rejected("input." + clipped(field[0]) + " = " + clipped(field[1]), j -> in(j, field[0], field[1])));
        }
        cases.add(rejected("input.referencePhoto missing", j -> {
            j.input().remove("referencePhoto");
            return j;
        }));
        cases.add(rejected("metadata value an object", j -> j.put("metadata", new JobText().put("k", "{\"a\":1}"))));
        cases.add(rejected("metadata value an array", j -> j.put("metadata", new JobText().put("k", "[1]"))));
        cases.add(rejected("metadata value null", j -> j.put("metadata", new JobText().put("k", "null"))));
        cases.add(rejected("metadata value of 2,049 chars", j -> j.put("metadata", new JobText().put("k", str("v".repeat(2_049))))));
        cases.add(rejected("metadata key of 257 chars", j -> j.put("metadata", new JobText().put("k".repeat(257), str("v")))));
        cases.add(rejected("65 metadata entries", j -> j.put("metadata", entries(65, i -> str("v")))));
        cases.add(rejected("60 metadata values of the wrong type (more than 50 violations)", j -> j.put("metadata", entries(60, String::valueOf))));
        cases.add(rejected("10,000 unknown input fields", j -> {
            JobText in = j.input();
            for (int i = 0; i < 10_000; i++) {
                in.put("extra-" + i, Integer.toString(i));
            }
            return j;
        }));
        cases.add(rejected("unknown input field nested 30 deep (32 in all)", j -> in(j, "deep", nested("{\"a\":", "}", 30, "1"))));
        cases.add(Value.large("data: URI photo of 700,001 bytes", Outcome.REJECTED,
                id -> in(job(id), "referencePhoto", str(dataUri("image/png", 700_001, true))).bytes()));
        cases.add(Value.large("data: URI video of 700,003 bytes, not valid base64", Outcome.REJECTED,
                id -> in(job(id), "motionVideo", str(dataUri("video/mp4", 700_003, false))).bytes()));

        // No readable valid jobId, or no readable job at all: a dead letter.
        String[] jobIds = {"1", "1e1000000", "{}", "[\"a\"]", "null", "true", str(""), str("has space"), str("j".repeat(129)),
                str("j\u00f6b"), "\"job\\u0000\""};
        for (String jobId : jobIds) {
            cases.add(dead("jobId = " + clipped(jobId), j -> j.put("jobId", jobId)));
        }
        cases.add(dead("jobId missing", j -> j.remove("jobId")));
        cases.add(dead("jobId a number and 60 metadata values of the wrong type", j -> j.put("jobId", "7").put("metadata", entries(60, String::valueOf))));
        cases.add(dead("jobId missing and 10,000 unknown input fields", j -> {
            JobText in = j.remove("jobId").input();
            for (int i = 0; i < 10_000; i++) {
                in.put("extra-" + i, Integer.toString(i));
            }
            return j;
        }));
        cases.add(dead("jobId given twice", j -> j.add("jobId", str("other"))));
        cases.add(dead("input.prompt given twice", j -> {
            j.input().add("prompt", str("again"));
            return j;
        }));
        cases.add(dead("metadata key given twice", j -> j.put("metadata", new JobText().put("k", str("a")).add("k", str("b")))));
        cases.add(dead("unknown top-level field name of 60,000 chars", j -> j.put("n".repeat(60_000), "1")));
        cases.add(Value.of("empty value", Outcome.DEAD_LETTER, id -> new byte[0]));
        cases.add(Value.of("null value", Outcome.DEAD_LETTER, id -> null));
        cases.add(Value.of("whitespace only", Outcome.DEAD_LETTER, id -> utf8(" \n\t\r ")));
        cases.add(Value.of("UTF-8 byte order mark, then a valid job", Outcome.DEAD_LETTER, id -> concat(RawBytes.of(0xEF, 0xBB, 0xBF), job(id).bytes())));
        for (String notAnObject : new String[] {"[]", "[" + job("x").render() + "]", str("a job"), "1", "null", "true"}) {
            cases.add(Value.of("JSON that is not an object: " + clipped(notAnObject), Outcome.DEAD_LETTER, id -> utf8(notAnObject)));
        }
        for (String trailing : new String[] {" x", "{}", "]", "\u0000", "," + str("more")}) {
            cases.add(Value.of("a valid job, then " + clipped(str(trailing)), Outcome.DEAD_LETTER, id -> utf8(job(id).render() + trailing)));
        }
        cases.add(Value.of("a valid job cut short", Outcome.DEAD_LETTER, id -> {
            String text = job(id).render();
            return utf8(text.substring(0, text.length() - 2));
        }));
        cases.add(Value.of("an object nested 32 deep whose jobId is not at the top", Outcome.DEAD_LETTER,
                id -> utf8(nested("{\"a\":", "}", 31, "{\"jobId\":" + str(id) + "}"))));
        return List.copyOf(cases);
    }

    private static Value ok(String kind, UnaryOperator<JobText> change) {
        return Value.json(kind, Outcome.SUCCEEDED, id -> change.apply(job(id)));
    }

    private static Value rejected(String kind, UnaryOperator<JobText> change) {
        return Value.json(kind, Outcome.REJECTED, id -> change.apply(job(id)));
    }

    private static Value dead(String kind, UnaryOperator<JobText> change) {
        return Value.json(kind, Outcome.DEAD_LETTER, id -> change.apply(job(id)));
    }

    /** The job with one input field set. */
    static JobText in(JobText job, String field, String raw) {
        job.input().put(field, raw);
        return job;
    }

    private static JobText entries(int count, IntFunction<String> value) {
        JobText entries = new JobText();
        for (int i = 0; i < count; i++) {
            entries.put("key-" + i, value.apply(i));
        }
        return entries;
    }

    static String pad(String jobId, int length) {
        return jobId + "-" + "p".repeat(length - jobId.length() - 1);
    }

    static String clipped(String text) {
        return text.length() <= 40 ? text : text.substring(0, 20) + "…(" + text.length() + " chars)";
    }
}
