package dev.troupe.worker.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch tracker a worker runs embedded: {@link BatchTrackerTopology} in a {@link KafkaStreams} of
 * its own (its own stream thread and clients, never an event loop), exactly_once_v2. Every worker of a
 * group runs one under the same application id, so the fleet shares the batches' partitions as it
 * shares the jobs'. {@link #start()} returns at once; {@link #close()} blocks (not on an event loop).
 */
public final class BatchTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchTracker.class);
    /** What a worker drain gives the tracker to commit its open transaction and leave the group. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

    private final KafkaStreams streams;
    private final Path stateDir;
    private final boolean ownStateDir;

    /**
     * @param applicationId the Streams application: {@code <worker.group-id>-batch-tracker}, shared by the fleet
     * @param stateDir      where this instance keeps its task directories (locks, checkpoints); null for a new
     *                      temporary directory, deleted on close
     * @param clientProperties any Kafka client property (security, timeouts), applied before the tracker's own
     */
    public BatchTracker(String bootstrapServers, String applicationId, String instance, String batchesTopic, String resultsTopic,
                        Duration retention, Path stateDir, Map<String, String> clientProperties) {
        try {
            this.ownStateDir = stateDir == null;
            this.stateDir = stateDir == null ? Files.createTempDirectory("troupe-tracker-")
                    : Files.createDirectories(stateDir.resolve(instance));
        } catch (IOException e) {
            throw new UncheckedIOException("the batch tracker cannot create its state directory (tracker.state-dir): " + e.getMessage(), e);
        }
        Properties p = new Properties();
        p.putAll(clientProperties);
        // A worker's own consumer settings do not apply to the tracker's clients.
        p.remove(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.CLIENT_ID_CONFIG, instance + "-tracker");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // A new tracker counts the results already on the topic (exactly_once_v2 reads only committed ones).
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        this.streams = new KafkaStreams(BatchTrackerTopology.build(batchesTopic, resultsTopic, retention), p);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("batch tracker thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts the stream thread; returns at once. */
    public BatchTracker start() {
        streams.start();
        log.info("batch tracker started: {} state in {}", streams.state(), stateDir);
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Commits, leaves the group and deletes a temporary state directory. Blocking; idempotent. */
    @Override
    public void close() {
        if (!streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT))) {
            log.warn("batch tracker did not close within {}", CLOSE_TIMEOUT);
        }
        if (ownStateDir) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                log.debug("batch tracker state {} not deleted: {}", stateDir, e.getMessage());
            }
        }
    }

    /** For tests: the running streams, to query the stores. */
    KafkaStreams streams() {
        return streams;
    }
}
