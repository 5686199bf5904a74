package dev.troupe.worker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;

/**
 * A generated record for the jobs topic before it has a jobId: {@link #stamp} gives it one, so that
 * every record of a property has its own and the worker's dedupe by jobId never hides one. Its
 * {@code toString} says what the record is, never its bytes (a sample can hold megabytes).
 */
record HostileRecord(Value value, Key key, List<Header> headers) {

    /** What the worker must make of a record. */
    enum Outcome {
        /** A result, SUCCEEDED: the job is valid. */
        SUCCEEDED,
        /** A result, REJECTED INVALID_JOB: the jobId is readable and valid, something else is not. */
        REJECTED,
        /** A result, EXPIRED: a valid job whose notAfter has passed. */
        EXPIRED,
        /** One dead letter pointing at the record: no readable valid jobId to give a result to. */
        DEAD_LETTER
    }

    /**
     * A record value for a jobId, and what the worker must make of it.
     *
     * @param large     the value is near the record size limits: it gets a small key and no headers,
     *                  so that the record still fits the broker's 1 MiB
     * @param writtenId the jobId the value carries for a stamped one (usually the same)
     */
    record Value(String kind, Outcome outcome, boolean large, Function<String, String> writtenId,
                 Function<String, byte[]> bytes) {

        static Value of(String kind, Outcome outcome, Function<String, byte[]> bytes) {
            return new Value(kind, outcome, false, Function.identity(), bytes);
        }

        static Value large(String kind, Outcome outcome, Function<String, byte[]> bytes) {
            return new Value(kind, outcome, true, Function.identity(), bytes);
        }

        static Value json(String kind, Outcome outcome, Function<String, JobText> job) {
            return of(kind, outcome, id -> job.apply(id).bytes());
        }

        @Override
        public String toString() {
            return kind + " -> " + outcome;
        }
    }

    /** The record key for a jobId. */
    record Key(String kind, Function<String, byte[]> bytes) {

        static final Key JOB_ID = new Key("key=jobId", id -> id.getBytes(StandardCharsets.UTF_8));
        static final Key NULL = new Key("key=null", id -> null);

        @Override
        public String toString() {
            return kind;
        }
    }

    /** The record as it is produced: the jobId its result must carry (null for a dead letter), key, value, headers. */
    record Stamped(HostileRecord source, String resultJobId, byte[] key, byte[] value, List<Header> headers) {

        /** Key, value and headers in bytes, about what the record takes in a batch (an upper bound on header names). */
        long size() {
            long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
            for (Header header : headers) {
                size += header.key().length() * 3L + (header.value() == null ? 0 : header.value().length) + 10;
            }
            return size;
        }
    }

    Stamped stamp(String jobId) {
        String written = value.writtenId().apply(jobId);
        return new Stamped(this, value.outcome() == Outcome.DEAD_LETTER ? null : written, key.bytes().apply(written),
                value.bytes().apply(written), headers);
    }

    @Override
    public String toString() {
        String shownHeaders = headers.isEmpty() ? "" : ", " + headers.size() + " header(s) of "
                + headers.stream().mapToLong(h -> h.key().length() + (h.value() == null ? 0 : h.value().length)).sum() + " bytes";
        return "[" + value + " (" + key + shownHeaders + ")]";
    }
}
