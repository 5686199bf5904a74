package dev.troupe.worker.batch;

import dev.troupe.model.BatchCodec;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The batch tracker's topology: descriptors from {@code batches} and results from {@code results}
 * (keyed by jobId, carrying their batchId) become {@link TrackerEvent}s keyed by batchId, go through one
 * repartition topic so that one task holds a batch's descriptor and all its results, and are tallied
 * by {@link BatchTally}; its completions go back to {@code batches}. Results without a batchId,
 * records that are not a descriptor or a readable result, and the tracker's own completions are
 * dropped at the source.
 */
public final class BatchTrackerTopology {

    private BatchTrackerTopology() {
    }

    public static Topology build(String batchesTopic, String resultsTopic, Duration retention) {
        BatchCodec batches = new BatchCodec();
        JobCodec results = JobCodec.defaults();
        StreamsBuilder builder = new StreamsBuilder();
        // In memory, restored from the changelog when a task moves: no RocksDB native library to load (its
        // JNI jar is 60 MB and must match the platform, on Java 17, 21 and 25), and per job an entry of a few
        // dozen bytes (a 10,000-job batch is about 1 MB). The price is a restore from the changelog on every
        // start, bounded by the retention.
        builder.addStateStore(Stores.keyValueStoreBuilder(memory(BatchTally.JOBS_STORE), Serdes.String(), TrackerSerdes.jobs()));
        builder.addStateStore(Stores.keyValueStoreBuilder(memory(BatchTally.SUMMARIES_STORE), Serdes.String(), TrackerSerdes.summaries()));

        KStream<String, TrackerEvent> described = builder.stream(batchesTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("batches"))
                .flatMap((key, value) -> value == null ? List.of() : batches.decode(value) instanceof BatchCodec.Descriptor d
                        ? List.of(KeyValue.pair(d.descriptor().batchId(), (TrackerEvent) TrackerEvent.described(d.descriptor())))
                        : List.of(), Named.as("descriptors"));
        KStream<String, TrackerEvent> ended = builder.stream(resultsTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("results"))
                .flatMap((key, value) -> {
                    JobResult result = readable(results, value);
                    return result == null || result.batchId() == null ? List.<KeyValue<String, TrackerEvent>>of()
                            : List.of(KeyValue.pair(result.batchId(), (TrackerEvent) TrackerEvent.ended(result)));
                }, Named.as("batch-results"));
        described.merge(ended, Named.as("batch-events"))
                .repartition(Repartitioned.with(Serdes.String(), TrackerSerdes.events()).withName("by-batch"))
                .process(() -> new BatchTally(retention), Named.as("tally"), BatchTally.JOBS_STORE, BatchTally.SUMMARIES_STORE)
                .mapValues(batches::encode, Named.as("completion"))
                .to(batchesTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("completions"));
        return builder.build();
    }

    private static KeyValueBytesStoreSupplier memory(String name) {
        return Stores.inMemoryKeyValueStore(name);
    }

    /** The result, or null for a record that is none: the workers wrote it, so an unreadable one is not ours to judge. */
    private static JobResult readable(JobCodec codec, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return codec.decodeResult(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
