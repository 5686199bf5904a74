package dev.troupe.worker.batch;

import dev.troupe.model.BatchDescriptor;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The tracker's internal wire forms (repartition topic, stores and their changelogs): compact binary,
 * versioned by a leading byte, read only by the tracker itself. Not a published format: the records
 * others read are the JSON ones of {@code troupe-model}.
 */
final class TrackerSerdes {

    private static final byte VERSION = 1;
    private static final byte DESCRIBED = 'D';
    private static final byte ENDED = 'E';
    private static final JobStatus[] STATUSES = JobStatus.values();

    private TrackerSerdes() {
    }

    static Serde<TrackerEvent> events() {
        return Serdes.serdeFrom((topic, event) -> event == null ? null : write(out -> writeEvent(out, event)), (topic, bytes) -> read(bytes, TrackerSerdes::readEvent));
    }

    static Serde<JobEntry> jobs() {
        return Serdes.serdeFrom((topic, entry) -> entry == null ? null : write(out -> {
            out.writeByte(VERSION);
            writeEntry(out, entry);
        }), (topic, bytes) -> read(bytes, in -> {
            version(in);
            return readEntry(in);
        }));
    }

    static Serde<BatchSummary> summaries() {
        return Serdes.serdeFrom((topic, summary) -> summary == null ? null : write(out -> {
            out.writeByte(VERSION);
            out.writeBoolean(summary.descriptor() != null);
            if (summary.descriptor() != null) {
                writeDescriptor(out, summary.descriptor());
            }
            out.writeInt(summary.ended());
            out.writeByte(summary.counts().length);
            for (int count : summary.counts()) {
                out.writeInt(count);
            }
            out.writeLong(summary.costMilli());
            out.writeBoolean(summary.completed());
            out.writeLong(summary.touchedAt());
        }), (topic, bytes) -> read(bytes, in -> {
            version(in);
            BatchDescriptor descriptor = in.readBoolean() ? readDescriptor(in) : null;
            int ended = in.readInt();
            int[] counts = new int[STATUSES.length];
            int written = in.readUnsignedByte();
            for (int i = 0; i < written; i++) {
                int count = in.readInt();
                if (i < counts.length) {
                    counts[i] = count;
                }
            }
            return new BatchSummary(descriptor, ended, counts, in.readLong(), in.readBoolean(), in.readLong());
        }));
    }

    private static void writeEvent(DataOutputStream out, TrackerEvent event) throws IOException {
        out.writeByte(VERSION);
        if (event instanceof TrackerEvent.Described described) {
            out.writeByte(DESCRIBED);
            writeDescriptor(out, described.descriptor());
        } else if (event instanceof TrackerEvent.Ended ended) {
            out.writeByte(ENDED);
            out.writeUTF(ended.jobId());
            writeEntry(out, ended.entry());
        }
    }

    private static TrackerEvent readEvent(DataInputStream in) throws IOException {
        version(in);
        byte kind = in.readByte();
        return switch (kind) {
            case DESCRIBED -> new TrackerEvent.Described(readDescriptor(in));
            case ENDED -> new TrackerEvent.Ended(in.readUTF(), readEntry(in));
            default -> throw new IllegalStateException("unknown tracker event kind " + kind);
        };
    }

    private static void writeDescriptor(DataOutputStream out, BatchDescriptor descriptor) throws IOException {
        out.writeUTF(descriptor.batchId());
        nullable(out, descriptor.tenant());
        out.writeInt(descriptor.jobs());
        out.writeLong(descriptor.estimatedTokens().milli());
        out.writeLong(descriptor.createdAt().getEpochSecond());
        out.writeInt(descriptor.createdAt().getNano());
    }

    private static BatchDescriptor readDescriptor(DataInputStream in) throws IOException {
        String batchId = in.readUTF();
        String tenant = nullable(in);
        int jobs = in.readInt();
        Tokens estimated = Tokens.ofMilli(in.readLong());
        return new BatchDescriptor(batchId, tenant, jobs, estimated, Instant.ofEpochSecond(in.readLong(), in.readInt()));
    }

    private static void writeEntry(DataOutputStream out, JobEntry entry) throws IOException {
        out.writeShort(entry.run());
        out.writeByte(entry.status().ordinal());
        out.writeLong(entry.costMilli());
        nullable(out, entry.code());
        nullable(out, entry.message());
    }

    private static JobEntry readEntry(DataInputStream in) throws IOException {
        int run = in.readUnsignedShort();
        JobStatus status = STATUSES[in.readUnsignedByte()];
        return new JobEntry(run, status, in.readLong(), nullable(in), nullable(in));
    }

    private static void version(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("tracker state of version " + version + " is not readable by this worker (version " + VERSION + ")");
        }
    }

    private static void nullable(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String nullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        return writeNonNull(writer);
    }

    private static byte[] writeNonNull(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        if (bytes == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
