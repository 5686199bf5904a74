package dev.troupe.testkit.guarantee;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Guarantee 1, no loss and no duplicate: every job the scenario sent has exactly one terminal result
 * on the results topic as a downstream {@code read_committed} consumer sees it, across crashes,
 * rebalances and broker restarts. Optionally, every result's outcome is one the scenario allows.
 *
 * <p>Feed it the jobIds as the scenario sends them ({@link #expect}); poll it while waiting
 * ({@link #allAnswered()} reads what arrived since the last call); judge it at the end
 * ({@link #verdict()} first reads the topic to its last stable offset, so a late second result is
 * seen). It reads with its own group-less consumer; thread-safe (calls are serialised), close it.
 */
public final class OneResultPerJob implements Guarantee, AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration READ_TO_END = Duration.ofSeconds(30);
    private static final int MAX_TEXT = 160;

    /** One record read from the results topic. */
    private record Published(JobResult result, int partition, long offset) {
        @Override
        public String toString() {
            return outcome(result) + (result.generationId() == null ? "" : " " + result.generationId()) + " at " + partition + "@" + offset;
        }
    }

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final JobCodec codec = JobCodec.defaults();
    private final Set<String> expected = new LinkedHashSet<>();
    private final Map<String, List<Published>> byJob = new LinkedHashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private long recordsRead;
    private String allowedOutcomes;
    private Predicate<JobResult> allowed;
    private String identicalRepeatsWhy;

    private OneResultPerJob(String bootstrapServers, String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "troupe-guarantee-one-result-per-job");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        try {
            // A topic created a moment ago may be unknown to a busy broker's metadata for a little while.
            long deadline = System.nanoTime() + READ_TO_END.toNanos();
            List<TopicPartition> found = List.of();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                found = consumer.partitionsFor(topic, READ_TO_END).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
                if (found.isEmpty()) {
                    Thread.sleep(100);
                }
            }
            this.partitions = found;
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("results topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw new IllegalStateException("interrupted while looking for " + topic, e);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    /** A checker reading {@code resultsTopic} from its beginning; the topic must exist. */
    public static OneResultPerJob reading(String bootstrapServers, String resultsTopic) {
        return new OneResultPerJob(bootstrapServers, resultsTopic);
    }

    /** A job the scenario sent: it must end with exactly one result. */
    public synchronized OneResultPerJob expect(String jobId) {
        expected.add(Objects.requireNonNull(jobId, "jobId"));
        return this;
    }

    public synchronized OneResultPerJob expect(Collection<String> jobIds) {
        jobIds.forEach(this::expect);
        return this;
    }

    /**
     * Only outcomes that {@code outcome} accepts are allowed (any other is a breach naming the job).
     *
     * @param description the allowed outcomes in words, for the report ("SUCCEEDED, or FAILED SUBMIT_UNCERTAIN")
     */
    public synchronized OneResultPerJob allowOnly(String description, Predicate<JobResult> outcome) {
        this.allowedOutcomes = Objects.requireNonNull(description, "description");
        this.allowed = Objects.requireNonNull(outcome, "outcome");
        return this;
    }

    /**
     * A job published more than once with the same outcome (same status, same generation) is
     * reported as an identical repeat instead of a breach; different results for one job still are.
     * For a known, documented window (say which in {@code why}); every other check stays strict.
     */
    public synchronized OneResultPerJob toleratingIdenticalRepeats(String why) {
        this.identicalRepeatsWhy = Objects.requireNonNull(why, "why");
        return this;
    }

    /** Expected jobs read so far with two or more results that all say the same. */
    public synchronized long identicalRepeats() {
        return expected.stream().map(byJob::get).filter(Objects::nonNull).filter(OneResultPerJob::identical).count();
    }

    private static boolean identical(List<Published> results) {
        JobResult first = results.get(0).result();
        return results.size() > 1 && results.stream().map(Published::result).allMatch(r -> r.status() == first.status()
                && Objects.equals(r.generationId(), first.generationId())
                && Objects.equals(r.error() == null ? null : r.error().code(), first.error() == null ? null : first.error().code()));
    }

    /** Reads what arrived since the last call; true once every expected job has at least one result. */
    public synchronized boolean allAnswered() {
        return answered() == expected.size();
    }

    /** Reads what arrived since the last call; how many expected jobs have at least one result. */
    public synchronized int answered() {
        poll(POLL);
        return (int) expected.stream().filter(byJob::containsKey).count();
    }

    /** Expected jobs whose (first) result read so far matches, e.g. those that ended SUBMIT_UNCERTAIN. */
    public synchronized long jobsEndedWith(Predicate<JobResult> outcome) {
        poll(POLL);
        return expected.stream().map(byJob::get).filter(Objects::nonNull)
                .filter(results -> outcome.test(results.get(0).result())).count();
    }

    /** The results of one job read so far, in the order read. */
    public synchronized List<JobResult> resultsOf(String jobId) {
        return byJob.getOrDefault(jobId, List.of()).stream().map(Published::result).toList();
    }

    /** Reads the topic to the end it has now, then judges every expected job. */
    @Override
    public synchronized Verdict verdict() {
        List<String> breaches = new ArrayList<>();
        String incomplete = readToEnd();
        if (incomplete != null) {
            breaches.add(incomplete);
        }
        int missing = 0;
        int duplicated = 0;
        int disallowed = 0;
        int repeats = 0;
        for (String jobId : expected) {
            List<Published> results = byJob.getOrDefault(jobId, List.of());
            if (results.isEmpty()) {
                missing++;
                breaches.add("job " + jobId + ": no result");
            } else if (results.size() > 1 && identicalRepeatsWhy != null && identical(results)) {
                repeats++;
            } else if (results.size() > 1) {
                duplicated++;
                breaches.add("job " + jobId + ": " + results.size() + " results: "
                        + String.join("; ", results.stream().map(Published::toString).toList()));
            }
            if (allowed != null && results.stream().anyMatch(r -> !allowed.test(r.result()))) {
                disallowed++;
                Published first = results.stream().filter(r -> !allowed.test(r.result())).findFirst().orElseThrow();
                breaches.add("job " + jobId + ": ended " + first + describe(first.result()) + ", allowed: " + allowedOutcomes);
            }
        }
        List<String> strangers = byJob.keySet().stream().filter(jobId -> !expected.contains(jobId)).toList();
        strangers.forEach(jobId -> breaches.add("a result for job " + clip(jobId) + ", which the scenario never sent: " + byJob.get(jobId)));
        breaches.addAll(unreadable);
        String where = recordsRead + " records of " + topic + " read (read_committed)"
                + (repeats == 0 ? "" : "; " + repeats + " job(s) published twice with the same outcome (" + identicalRepeatsWhy + ")");
        if (breaches.isEmpty()) {
            return new Verdict("OneResultPerJob", expected.size() + " jobs, one result each"
                    + (allowedOutcomes == null ? "" : " (" + allowedOutcomes + ")") + "; " + where, breaches);
        }
        return new Verdict("OneResultPerJob", missing + " of " + expected.size() + " jobs without a result, " + duplicated
                + " with 2 or more results" + (allowed == null ? "" : ", " + disallowed + " with an outcome not allowed")
                + (strangers.isEmpty() ? "" : ", " + strangers.size() + " results for jobs never sent")
                + (unreadable.isEmpty() ? "" : ", " + unreadable.size() + " unreadable records") + "; " + where, breaches);
    }

    @Override
    public synchronized void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    /** Polls until every partition is read to the last stable offset it had when the call began; null when done. */
    private String readToEnd() {
        long deadline = System.nanoTime() + READ_TO_END.toNanos();
        Map<TopicPartition, Long> end;
        try {
            end = consumer.endOffsets(partitions, READ_TO_END);
        } catch (KafkaException e) {
            return "could not read the end offsets of " + topic + ", so results may be missing from this verdict: " + e;
        }
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), READ_TO_END) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                return "could not read " + topic + " to its end " + end + " within " + READ_TO_END.toSeconds() + " s";
            }
            poll(POLL);
        }
        return null;
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            recordsRead++;
            try {
                JobResult result = codec.decodeResult(record.value());
                byJob.computeIfAbsent(result.jobId(), id -> new ArrayList<>()).add(new Published(result, record.partition(), record.offset()));
            } catch (RuntimeException e) {
                unreadable.add("record " + record.partition() + "@" + record.offset() + " of " + topic + " is not a job result: "
                        + clip(String.valueOf(e.getMessage())));
            }
        }
    }

    private static String outcome(JobResult result) {
        return result.status() + (result.error() == null ? "" : " " + result.error().code());
    }

    private static String describe(JobResult result) {
        return result.error() == null || result.error().message() == null ? "" : " (" + clip(result.error().message()) + ")";
    }

    private static String clip(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
