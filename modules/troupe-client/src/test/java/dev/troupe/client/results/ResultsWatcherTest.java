package dev.troupe.client.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.client.KafkaConnection;
import dev.troupe.client.MissingTopicsException;
import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class ResultsWatcherTest {

    private final JobCodec codec = JobCodec.defaults();

    @Test
    void watchesOneBatchUntilEveryExpectedJobHasOneResult(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("results");
        kafka.createTopic(topic, 3);
        produce(kafka, topic, List.of(
                Results.succeeded("b1:a", "b1", 35),
                Results.succeeded("b2:a", "b2", 21),
                Results.failed("b1:b", "b1"),
                Results.succeeded("b1:a", "b1", 35)));
        kafka.produce(topic, "junk", "not a result");
        produce(kafka, topic, List.of(Results.succeeded("b1:c", "b1", 42)));
        List<JobResult> seen = new CopyOnWriteArrayList<>();

        WatchOutcome outcome = new ResultsWatcher(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)
                .watch(WatchRequest.untilComplete("b1", Set.of("b1:a", "b1:b", "b1:c")).withTimeout(Duration.ofSeconds(30)),
                        new ProgressListener() {
                            @Override
                            public void onResult(JobResult result, BatchProgress progress) {
                                seen.add(result);
                            }
                        });

        assertThat(outcome.ending()).isEqualTo(WatchOutcome.Ending.COMPLETE);
        assertThat(outcome.results()).extracting(JobResult::jobId).containsExactlyInAnyOrder("b1:a", "b1:b", "b1:c");
        assertThat(seen).extracting(JobResult::jobId).containsExactlyInAnyOrder("b1:a", "b1:b", "b1:c");
        BatchProgress progress = outcome.progress();
        assertThat(progress.complete()).isTrue();
        assertThat(progress.count(JobStatus.SUCCEEDED)).isEqualTo(2);
        assertThat(progress.count(JobStatus.FAILED)).isEqualTo(1);
        assertThat(progress.tokens()).isEqualTo(Tokens.parse("112.5"));
        assertThat(progress.unreadable()).isEqualTo(1);
    }

    @Test
    void eachJobCountsByItsLatestRunAndARetryIsDoneOnlyWithTheResultOfItsRun(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("results");
        kafka.createTopic(topic, 3);
        JobResult firstRun = Results.failed("r:a", "r");
        produce(kafka, topic, List.of(firstRun, firstRun, Results.succeeded("r:b", "r", 21)));
        WatchRequest retried = WatchRequest.untilComplete("r", java.util.Map.of("r:a", 2, "r:b", 1));

        WatchOutcome waiting = new ResultsWatcher(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)
                .watch(retried.withTimeout(Duration.ofMillis(800)), ProgressListener.NONE);
        assertThat(waiting.ending()).as("run 2 of r:a has no result yet").isEqualTo(WatchOutcome.Ending.TIMED_OUT);
        assertThat(waiting.progress().retrying()).isEqualTo(1);
        assertThat(waiting.progress().done()).isEqualTo(1);
        assertThat(waiting.progress().setAside()).as("the repeat of run 1").isEqualTo(1);

        JobResult secondRun = Results.succeeded("r:a", "r", 21);
        secondRun = new JobResult(secondRun.jobId(), secondRun.batchId(), secondRun.tenant(), secondRun.status(), "gen-r:a-2",
                secondRun.videoUrl(), secondRun.costTokens(), 1, null, secondRun.timings(), secondRun.metadata(), 2);
        produce(kafka, topic, List.of(secondRun));
        WatchOutcome outcome = new ResultsWatcher(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)
                .watch(retried.withTimeout(Duration.ofSeconds(30)), ProgressListener.NONE);

        assertThat(outcome.ending()).isEqualTo(WatchOutcome.Ending.COMPLETE);
        assertThat(outcome.results()).extracting(JobResult::jobId, JobResult::run, JobResult::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("r:a", 2, JobStatus.SUCCEEDED), org.assertj.core.groups.Tuple.tuple("r:b", 1, JobStatus.SUCCEEDED));
        assertThat(outcome.progress().count(JobStatus.SUCCEEDED)).isEqualTo(2);
        assertThat(outcome.progress().count(JobStatus.FAILED)).isZero();
        assertThat(outcome.progress().setAside()).as("run 1 of r:a, and its repeat").isEqualTo(2);
        assertThat(outcome.progress().tokens()).as("every run paid: 35.5 + 21 + 21").isEqualTo(Tokens.parse("77.5"));
    }

    @Test
    void aWatchToTheCurrentEndReturnsWhatTheTopicHolds(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("results");
        kafka.createTopic(topic, 2);
        produce(kafka, topic, List.of(Results.succeeded("x:1", "x", 21), Results.succeeded("y:1", "y", 21),
                Results.failed("x:2", "x")));

        WatchOutcome everything = new ResultsWatcher(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)
                .watch(WatchRequest.toCurrentEnd(null), ProgressListener.NONE);
        WatchOutcome batchX = new ResultsWatcher(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)
                .watch(WatchRequest.toCurrentEnd("x"), ProgressListener.NONE);

        assertThat(everything.ending()).isEqualTo(WatchOutcome.Ending.END_OF_TOPIC);
        assertThat(everything.results()).hasSize(3);
        assertThat(batchX.results()).extracting(JobResult::jobId).containsExactlyInAnyOrder("x:1", "x:2");
        assertThat(batchX.progress().expected()).isEqualTo(-1);
    }

    @Test
    void anIncompleteBatchTimesOutWithWhatArrived(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("results");
        kafka.createTopic(topic, 1);
        produce(kafka, topic, List.of(Results.succeeded("z:1", "z", 21)));

        WatchOutcome outcome = new ResultsWatcher(KafkaConnection.of(kafka.bootstrapServers()), topic, codec)
                .watch(WatchRequest.untilComplete("z", Set.of("z:1", "z:2")).withTimeout(Duration.ofMillis(800)),
                        ProgressListener.NONE);

        assertThat(outcome.ending()).isEqualTo(WatchOutcome.Ending.TIMED_OUT);
        assertThat(outcome.results()).extracting(JobResult::jobId).containsExactly("z:1");
        assertThat(outcome.progress().done()).isEqualTo(1);
        assertThat(outcome.progress().expected()).isEqualTo(2);
    }

    @Test
    void aMissingResultsTopicIsNamed(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("absent");

        assertThatThrownBy(() -> new ResultsWatcher(KafkaConnection.of(kafka.bootstrapServers()).withTimeout(Duration.ofSeconds(2)),
                topic, codec).watch(WatchRequest.toCurrentEnd(null), ProgressListener.NONE))
                .isInstanceOf(MissingTopicsException.class)
                .hasMessageContaining(topic);
    }

    @Test
    void theJobsOfABatchAreFoundOnTheJobsTopic(KafkaCluster kafka) {
        String jobs = kafka.uniqueTopic("jobs");
        kafka.createTopic(jobs, 3);
        kafka.produce(List.of(
                new ProducerRecord<>(jobs, "b:1", "{\"jobId\":\"b:1\",\"batchId\":\"b\"}"),
                new ProducerRecord<>(jobs, "o:1", "{\"jobId\":\"o:1\",\"batchId\":\"other\"}"),
                new ProducerRecord<>(jobs, "x", "not json"),
                new ProducerRecord<>(jobs, "b:2", "{\"jobId\":\"b:2\",\"batchId\":\"b\"}"),
                new ProducerRecord<>(jobs, "b:1", "{\"jobId\":\"b:1\",\"batchId\":\"b\"}")));

        assertThat(BatchJobs.find(KafkaConnection.of(kafka.bootstrapServers()), jobs, "b")).containsExactlyInAnyOrder("b:1", "b:2");
    }

    private void produce(KafkaCluster kafka, String topic, List<JobResult> results) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (JobResult result : results) {
            records.add(new ProducerRecord<>(topic, result.jobId(), new String(codec.encodeResult(result), StandardCharsets.UTF_8)));
        }
        kafka.produce(records);
    }
}
