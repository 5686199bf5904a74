package dev.troupe.worker.results;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record to publish, in the forms Kafka may take, largest first: a form refused as too large
 * (or known to be over the producer's {@code max.request.size} before it is sent) is never sent
 * again; the next, smaller one is. Forms are built when asked for, on the thread that sends them,
 * so the encoding costs that thread, not the runner's event loop.
 *
 * @param what  names the record in logs ("the result of job-7")
 * @param forms at least one
 */
public record RecordForms(String what, List<Supplier<ProducerRecord<byte[], byte[]>>> forms) {

    /** Record framing on top of key, value and headers (a conservative bound of Kafka's record and batch overhead). */
    static final int RECORD_OVERHEAD_BYTES = 1_024;

    public RecordForms {
        Objects.requireNonNull(what, "what");
        if (forms == null || forms.isEmpty()) {
            throw new IllegalArgumentException("a record needs at least one form");
        }
        forms = List.copyOf(forms);
    }

    public int count() {
        return forms.size();
    }

    public ProducerRecord<byte[], byte[]> form(int index) {
        return forms.get(index).get();
    }

    /** An upper bound of the bytes {@code record} takes in a produce request. */
    public static int estimatedSize(ProducerRecord<byte[], byte[]> record) {
        long size = RECORD_OVERHEAD_BYTES + length(record.key()) + length(record.value());
        for (Header h : record.headers()) {
            size += h.key().length() * 3L + length(h.value()) + 16;
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
