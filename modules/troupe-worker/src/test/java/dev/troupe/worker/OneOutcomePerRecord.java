package dev.troupe.worker;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.worker.HostileRecord.Outcome;
import dev.troupe.worker.HostileRecord.Stamped;
import dev.troupe.worker.results.ResultRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The guarantee that every record of {@code troupe.jobs} ends as exactly one result (when it has a
 * readable valid jobId) or exactly one dead letter pointing at it, and that what the worker published
 * is bounded. Fed with the records as they were produced; checked against everything on the results
 * and dead-letter topics. Confined to the test thread.
 */
final class OneOutcomePerRecord {

    /** The producer's default max.request.size: what the worker's own producer can publish. */
    static final int MAX_PUBLISHED_BYTES = 1_048_576;
    /** Longest value of a header the worker adds to a dead letter. */
    static final int MAX_HEADER_BYTES = 2_000;

    /** A produced record and where it landed. */
    record Sent(Stamped record, int partition, long offset) {
        Outcome expected() {
            return record.source().value().outcome();
        }

        @Override
        public String toString() {
            return record.source() + " at " + partition + "@" + offset + (record.resultJobId() == null ? "" : " jobId " + record.resultJobId());
        }
    }

    private record Coordinates(int partition, long offset) {}

    private final String jobsTopic;
    private final JobCodec codec = JobCodec.defaults();
    private final List<Sent> sent = new ArrayList<>();

    OneOutcomePerRecord(String jobsTopic) {
        this.jobsTopic = jobsTopic;
    }

    void expect(Sent record) {
        sent.add(record);
    }

    /** Records none of whose outcome is on the topics yet. */
    List<Sent> unaccounted(List<ConsumerRecord<byte[], byte[]>> results, List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        Map<String, List<JobResult>> byJobId = resultsByJobId(results, new ArrayList<>());
        Map<Coordinates, List<ConsumerRecord<byte[], byte[]>>> bySource = deadLettersBySource(deadLetters, new ArrayList<>());
        return sent.stream()
                .filter(s -> (s.record().resultJobId() == null || !byJobId.containsKey(s.record().resultJobId()))
                        && !bySource.containsKey(new Coordinates(s.partition(), s.offset())))
                .toList();
    }

    /** Every break of the guarantee, one line each, naming the record; empty when it holds. */
    List<String> problems(List<ConsumerRecord<byte[], byte[]>> results, List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        List<String> problems = new ArrayList<>();
        Map<String, List<JobResult>> byJobId = resultsByJobId(results, problems);
        Map<Coordinates, List<ConsumerRecord<byte[], byte[]>>> bySource = deadLettersBySource(deadLetters, problems);
        Map<String, Sent> expectedResults = new HashMap<>();
        Map<Coordinates, Sent> sources = new HashMap<>();
        for (Sent s : sent) {
            List<JobResult> itsResults = s.record().resultJobId() == null ? List.of() : byJobId.getOrDefault(s.record().resultJobId(), List.of());
            List<ConsumerRecord<byte[], byte[]>> itsDeadLetters = bySource.getOrDefault(new Coordinates(s.partition(), s.offset()), List.of());
            sources.put(new Coordinates(s.partition(), s.offset()), s);
            if (s.expected() == Outcome.DEAD_LETTER) {
                if (itsDeadLetters.size() != 1) {
                    problems.add(s + ": " + itsDeadLetters.size() + " dead letters, expected one");
                }
                itsDeadLetters.forEach(dl -> checkDeadLetter(s, dl, problems));
                continue;
            }
            expectedResults.put(s.record().resultJobId(), s);
            if (!itsDeadLetters.isEmpty()) {
                problems.add(s + ": dead-lettered as " + header(itsDeadLetters.get(0), ResultRecords.HEADER_ERROR_CODE)
                        + " (" + clip(header(itsDeadLetters.get(0), ResultRecords.HEADER_ERROR_MESSAGE)) + "), expected a result");
            }
            if (itsResults.size() != 1) {
                problems.add(s + ": " + itsResults.size() + " results, expected one " + s.expected());
            }
            for (JobResult result : itsResults) {
                JobStatus wanted = JobStatus.valueOf(s.expected().name());
                if (result.status() != wanted || (wanted == JobStatus.REJECTED && !"INVALID_JOB".equals(result.error().code()))) {
                    problems.add(s + ": result " + result.status() + (result.error() == null ? "" : " " + result.error().code() + " ("
                            + clip(result.error().message()) + ")") + ", expected " + wanted);
                }
            }
        }
        byJobId.keySet().stream().filter(jobId -> !expectedResults.containsKey(jobId))
                .forEach(jobId -> problems.add("a result for jobId " + clip(jobId) + ", which no record expects"));
        bySource.keySet().stream().filter(at -> !sources.containsKey(at))
                .forEach(at -> problems.add("a dead letter pointing at " + at + ", which is no produced record"));
        for (List<ConsumerRecord<byte[], byte[]>> topic : List.of(results, deadLetters)) {
            for (ConsumerRecord<byte[], byte[]> published : topic) {
                long size = size(published);
                if (size > MAX_PUBLISHED_BYTES) {
                    problems.add(published.topic() + " " + published.partition() + "@" + published.offset() + " has " + size
                            + " bytes, more than a default producer publishes");
                }
            }
        }
        return problems;
    }

    /** The copy keeps the original (or, for a record too large to copy, a prefix of it); every header it adds is bounded. */
    private void checkDeadLetter(Sent s, ConsumerRecord<byte[], byte[]> dl, List<String> problems) {
        byte[] original = s.record().value();
        byte[] copy = dl.value();
        boolean tooLargeToCopy = s.record().size() > HostileRecords.MAX_RECORD_BYTES;
        if (original == null ? copy != null && copy.length > 0
                : !(Arrays.equals(original, copy) || (tooLargeToCopy && copy != null && isPrefix(copy, original)))) {
            problems.add(s + ": the dead letter holds " + (copy == null ? "no value" : copy.length + " bytes") + ", not the record's "
                    + (original == null ? "null" : original.length + " bytes"));
        }
        if (!jobsTopic.equals(header(dl, ResultRecords.HEADER_SOURCE_TOPIC))) {
            problems.add(s + ": the dead letter names source topic " + clip(header(dl, ResultRecords.HEADER_SOURCE_TOPIC)));
        }
        String code = header(dl, ResultRecords.HEADER_ERROR_CODE);
        if (code == null || code.isBlank()) {
            problems.add(s + ": the dead letter has no error code");
        }
        for (Header h : dl.headers()) {
            boolean copied = s.record().headers().stream().anyMatch(o -> o.key().equals(h.key()) && Arrays.equals(o.value(), h.value()));
            int length = h.value() == null ? 0 : h.value().length;
            if (!copied && !h.key().startsWith("troupe.")) {
                problems.add(s + ": the dead letter has header " + clip(h.key()) + ", which the record did not have");
            } else if (!copied && length > MAX_HEADER_BYTES) {
                problems.add(s + ": dead-letter header " + h.key() + " has " + length + " bytes, more than " + MAX_HEADER_BYTES
                        + " (" + clip(new String(h.value(), StandardCharsets.UTF_8)) + ")");
            }
        }
    }

    private Map<String, List<JobResult>> resultsByJobId(List<ConsumerRecord<byte[], byte[]>> results, List<String> problems) {
        Map<String, List<JobResult>> byJobId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : results) {
            try {
                JobResult result = codec.decodeResult(record.value());
                byJobId.computeIfAbsent(result.jobId(), id -> new ArrayList<>()).add(result);
            } catch (RuntimeException e) {
                problems.add("result " + record.partition() + "@" + record.offset() + " is not a job result: " + clip(e.getMessage()));
            }
        }
        return byJobId;
    }

    private static Map<Coordinates, List<ConsumerRecord<byte[], byte[]>>> deadLettersBySource(
            List<ConsumerRecord<byte[], byte[]>> deadLetters, List<String> problems) {
        Map<Coordinates, List<ConsumerRecord<byte[], byte[]>>> bySource = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> dl : deadLetters) {
            // The last one: a record may carry headers of the same name, the worker's come after them.
            try {
                Coordinates at = new Coordinates(Integer.parseInt(header(dl, ResultRecords.HEADER_SOURCE_PARTITION)),
                        Long.parseLong(header(dl, ResultRecords.HEADER_SOURCE_OFFSET)));
                bySource.computeIfAbsent(at, key -> new ArrayList<>()).add(dl);
            } catch (RuntimeException e) {
                problems.add("dead letter " + dl.offset() + " does not say where it came from: " + e);
            }
        }
        return bySource;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long size(ConsumerRecord<byte[], byte[]> record) {
        long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        for (Header h : record.headers()) {
            size += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static boolean isPrefix(byte[] prefix, byte[] of) {
        return prefix.length <= of.length && Arrays.equals(prefix, 0, prefix.length, of, 0, prefix.length);
    }

    private static String clip(String text) {
        return text == null || text.length() <= 160 ? text : text.substring(0, 160) + "…(" + text.length() + " chars)";
    }
}
