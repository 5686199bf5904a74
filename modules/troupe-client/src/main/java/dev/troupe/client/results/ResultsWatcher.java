package dev.troupe.client.results;

import dev.troupe.client.KafkaConnection;
import dev.troupe.client.KafkaUnreachableException;
import dev.troupe.client.MissingTopicsException;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads {@code troupe.results} from the beginning as a read_committed consumer without a group (it
 * commits nothing and disturbs no one), keeps one result per jobId of the watched batch, reports
 * progress, and returns when the request says to stop. {@link #watch} blocks the calling thread;
 * {@link #stop()} may be called from any other thread (e.g. on Ctrl-C).
 */
public final class ResultsWatcher {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConnection kafka;
    private final String topic;
    private final JobCodec codec;
    private final Clock clock;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile KafkaConsumer<byte[], byte[]> active;

    public ResultsWatcher(KafkaConnection kafka, String resultsTopic, JobCodec codec) {
        this(kafka, resultsTopic, codec, Clock.systemUTC());
    }

    ResultsWatcher(KafkaConnection kafka, String resultsTopic, JobCodec codec, Clock clock) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topic = Objects.requireNonNull(resultsTopic, "resultsTopic");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = clock;
    }

    /** Ends a running (or the next) {@link #watch} with {@link WatchOutcome.Ending#STOPPED}. */
    public void stop() {
        stopRequested.set(true);
        KafkaConsumer<byte[], byte[]> consumer = active;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    /**
     * @throws MissingTopicsException when the results topic does not exist
     * @throws KafkaUnreachableException when Kafka does not answer
     */
    public WatchOutcome watch(WatchRequest request, ProgressListener listener) {
        Tally tally = new Tally(request, clock);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig())) {
            active = consumer;
            if (stopRequested.get()) {
                return tally.outcome(WatchOutcome.Ending.STOPPED);
            }
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = request.stopAtEnd() ? consumer.endOffsets(partitions, kafka.timeout()) : Map.of();
            long started = System.nanoTime();
            long nextProgress = started;
            while (true) {
                if (tally.complete()) {
                    listener.onProgress(tally.progress());
                    return tally.outcome(WatchOutcome.Ending.COMPLETE);
                }
                if (request.stopAtEnd() && reached(consumer, end)) {
                    listener.onProgress(tally.progress());
                    return tally.outcome(WatchOutcome.Ending.END_OF_TOPIC);
                }
                if (request.timeout() != null && System.nanoTime() - started >= request.timeout().toNanos()) {
                    listener.onProgress(tally.progress());
                    return tally.outcome(WatchOutcome.Ending.TIMED_OUT);
                }
                if (stopRequested.get()) {
                    return tally.outcome(WatchOutcome.Ending.STOPPED);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    JobResult result = tally.add(record.value());
                    if (result != null) {
                        listener.onResult(result, tally.progress());
                    }
                }
                if (System.nanoTime() >= nextProgress) {
                    listener.onProgress(tally.progress());
                    nextProgress = System.nanoTime() + request.progressInterval().toNanos();
                }
            }
        } catch (WakeupException e) {
            return tally.outcome(WatchOutcome.Ending.STOPPED);
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException(kafka, "reading " + topic + ": " + e.getMessage(), e);
        } finally {
            active = null;
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, kafka.timeout());
        if (infos == null || infos.isEmpty()) {
            throw new MissingTopicsException(kafka.bootstrapServers(), List.of(topic));
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private Map<String, Object> consumerConfig() {
        // read_committed: only committed results count.
        return kafka.committedReaderConfig("troupe-watch");
    }

    /**
     * The results seen so far: per jobId its outcome ({@link JobResult#outcomeOf}: the latest run, then
     * the latest completed); the others are set aside. Tokens add up every generation's, what was
     * paid; a result published again (the same generation) adds nothing.
     */
    private final class Tally {
        private final WatchRequest request;
        private final Clock clock;
        private final long startedNanos = System.nanoTime();
        private final Map<String, JobResult> results = new LinkedHashMap<>();
        private final EnumMap<JobStatus, Integer> byStatus = new EnumMap<>(JobStatus.class);
        private Tokens tokens = Tokens.ZERO;
        private Instant firstStart;
        private int setAside;
        private int unreadable;
        private int retrying;

        Tally(WatchRequest request, Clock clock) {
            this.request = request;
            this.clock = clock;
        }

        /** The result when it is the latest run seen of one of the watched jobs, else null. */
        JobResult add(byte[] value) {
            JobResult result;
            try {
                result = codec.decodeResult(value);
            } catch (IllegalArgumentException e) {
                unreadable++;
                return null;
            }
            if (request.batchId() != null && !request.batchId().equals(result.batchId())) {
                return null;
            }
            if (request.expectedJobIds() != null && !request.expectedJobIds().contains(result.jobId())) {
                return null;
            }
            JobResult earlier = results.get(result.jobId());
            if (earlier != null) {
                setAside++;
                if (result.repeats(earlier)) {
                    return null; // published again: nothing new, nothing paid again
                }
                tokens = tokens.plus(result.costTokens());
                if (JobResult.outcomeOf(earlier, result) == earlier) {
                    return null;
                }
                count(earlier, -1);
            } else {
                tokens = tokens.plus(result.costTokens());
            }
            results.put(result.jobId(), result);
            count(result, 1);
            Instant start = result.timings().startedAt() != null ? result.timings().startedAt() : result.timings().completedAt();
            if (start != null && (firstStart == null || start.isBefore(firstStart))) {
                firstStart = start;
            }
            return result;
        }

        /** A job's latest result counts by its status once it is of the run awaited; before, the job is retrying. */
        private void count(JobResult result, int delta) {
            if (result.run() >= request.expectedRun(result.jobId())) {
                byStatus.merge(result.status(), delta, Integer::sum);
            } else {
                retrying += delta;
            }
        }

        boolean complete() {
            return request.expectedCount() > 0 && byStatus.values().stream().mapToInt(Integer::intValue).sum()
                    >= request.expectedCount();
        }

        BatchProgress progress() {
            double rate = 0;
            if (firstStart != null && !results.isEmpty()) {
                double seconds = Duration.between(firstStart, clock.instant()).toMillis() / 1000.0;
                rate = results.size() / Math.max(seconds, 0.001);
            }
            return new BatchProgress(request.expectedCount(), byStatus, tokens, Duration.ofNanos(System.nanoTime() - startedNanos),
                    rate, setAside, unreadable, retrying);
        }

        WatchOutcome outcome(WatchOutcome.Ending ending) {
            return new WatchOutcome(ending, new ArrayList<>(results.values()), progress());
        }
    }
}
