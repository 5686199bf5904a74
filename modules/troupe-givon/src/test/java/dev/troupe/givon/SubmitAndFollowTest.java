package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.GenerationStatus.Phase;
import dev.troupe.givon.sim.Dialect;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.model.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generations that finish when the test says so: the simulator runs on a manual clock, and a
 * generation (5 to 60 simulated seconds) ends only once the test has advanced it past its end, so
 * no assertion races the speed of the machine.
 */
class SubmitAndFollowTest {

    static final String KEY = "sk-troupe-follow-4b1d9e";
    /** Longer than the longest generation. */
    private static final Duration PAST_EVERY_END = Duration.ofSeconds(61);

    private static Vertx vertx;
    private static GivonSimulator simulator;
    private static final ManualSimClock clock = SimClock.manual();
    private GivonClient client;

    @BeforeAll
    static void startSimulator() {
        vertx = Vertx.vertx();
        simulator = TestClients.simulator(vertx, clock, config -> config
                .apiKeys(KEY)
                .generationTime(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60))
                .seed(11));
    }

    @AfterAll
    static void stop() {
        TestClients.stop(simulator, vertx);
    }

    @BeforeEach
    void newClient() {
        simulator.resetFaults();
        client = TestClients.client(vertx, simulator.baseUrl(), KEY, 3, b -> b
                .responseTimeout(Duration.ofSeconds(5))
                .pollBackoff(new PollBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0)));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static Instant inAMinute() {
        return Instant.now().plus(Duration.ofMinutes(1));
    }

    /** Records every status read; {@link #reads()} tells how many polls saw the generation so far. */
    private static class Statuses implements PollObserver {
        final List<GenerationStatus> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onStatus(GenerationStatus status, int poll) {
            seen.add(status);
        }

        int reads() {
            return seen.size();
        }
    }

    @Test
    void submittedJobIsFollowedToItsVideo() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-happy-1", 3)));

        assertThat(submission.generationId()).startsWith("gen_");
        assertThat(submission.httpStatus()).isEqualTo(201);
        assertThat(submission.initial().phase()).isEqualTo(Phase.RUNNING);
        assertThat(submission.initial().rawStatus()).isEqualTo("queued");

        Statuses statuses = new Statuses();
        Future<GenerationStatus> followed = client.follow(submission.generationId(), inAMinute(), statuses);
        await().atMost(AsyncResults.TIMEOUT).until(() -> statuses.reads() >= 2);
        assertThat(followed.isComplete()).as("a generation ends only when the clock passes its end").isFalse();
        assertThat(statuses.seen).extracting(GenerationStatus::rawStatus).containsOnly("queued");
        clock.advance(PAST_EVERY_END);

        GenerationStatus done = succeeded(followed);
        assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.generationId()).isEqualTo(submission.generationId());
        assertThat(done.videoUrl()).startsWith(simulator.baseUrl() + "/sim/videos/").endsWith(".mp4");
        assertThat(done.reportedCost()).contains(Tokens.of(21));
        assertThat(done.failureReason()).isNull();
    }

    @Test
    void aFollowItsCallerStopsEndsWithoutReadingAgain() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-handed-over-1", 3)));
        java.util.concurrent.atomic.AtomicBoolean handedOver = new java.util.concurrent.atomic.AtomicBoolean();
        Statuses statuses = new Statuses() {
            @Override
            public boolean stopped() {
                return handedOver.get();
            }
        };
        Future<GenerationStatus> followed = client.follow(submission.generationId(), inAMinute(), statuses);
        await().atMost(AsyncResults.TIMEOUT).until(() -> statuses.reads() >= 1);

        handedOver.set(true);

        await().atMost(AsyncResults.TIMEOUT).until(followed::isComplete);
        assertThat(followed.cause()).isInstanceOf(java.util.concurrent.CancellationException.class)
                .hasMessageContaining(submission.generationId());
        int reads = statuses.reads();
        clock.advance(PAST_EVERY_END);
        assertThat(statuses.reads()).as("no status read after the stop").isEqualTo(reads);
    }

    @Test
    void theJobIdTravelsAsIdempotencyKey() {
        succeeded(client.submit(TestJobs.job("job-idem-42")));

        assertThat(simulator.ledger().snapshot().generationsFor("job-idem-42")).isEqualTo(1);
    }

    @Test
    void failedGenerationEndsFailedWithGivonsReason() {
        simulator.reconfigure(f -> f.failureRate(1.0));
        Submission submission = succeeded(client.submit(TestJobs.job("job-fails-1")));
        clock.advance(PAST_EVERY_END);

        GenerationStatus done = succeeded(client.follow(submission.generationId(), inAMinute()));

        assertThat(done.phase()).isEqualTo(Phase.FAILED);
        assertThat(done.rawStatus()).isEqualTo("failed");
        assertThat(done.failureReason()).isNotBlank();
        assertThat(done.videoUrl()).isNull();
    }

    @Test
    void followReportsEveryPollAndKeepsPollingThroughTransientErrors() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-flaky-1")));
        simulator.reconfigure(f -> f.serverErrorRate(1.0));
        List<GivonError> transientErrors = new CopyOnWriteArrayList<>();
        List<GenerationStatus> statuses = new CopyOnWriteArrayList<>();
        PollObserver observer = new PollObserver() {
            @Override
            public void onStatus(GenerationStatus status, int poll) {
                statuses.add(status);
            }

            @Override
            public void onTransientError(GivonError error, Duration retryIn) {
                transientErrors.add(error);
            }
        };

        Future<GenerationStatus> followed = client.follow(submission.generationId(), inAMinute(), observer);
        await().atMost(AsyncResults.TIMEOUT).until(() -> transientErrors.size() >= 3);
        assertThat(followed.isComplete()).isFalse();
        simulator.reconfigure(f -> f.serverErrorRate(0));
        clock.advance(PAST_EVERY_END);

        assertThat(succeeded(followed).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(transientErrors).allSatisfy(error -> assertThat(error).isInstanceOf(GivonError.Retryable.class));
        assertThat(transientErrors).extracting(error -> ((GivonError.Retryable) error).httpStatus())
                .allSatisfy(status -> assertThat(status).isIn(500, 502, 503));
        assertThat(statuses).last().extracting(GenerationStatus::phase).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void undocumentedStatusesCountAsRunningUntilTheEnd() {
        simulator.reconfigure(f -> f.unknownStatusRate(1.0));
        Submission submission = succeeded(client.submit(TestJobs.job("job-unknown-1")));
        Statuses statuses = new Statuses();

        Future<GenerationStatus> followed = client.follow(submission.generationId(), inAMinute(), statuses);
        await().atMost(AsyncResults.TIMEOUT).until(() -> statuses.reads() >= 3);
        assertThat(followed.isComplete()).isFalse();
        clock.advance(PAST_EVERY_END);
        GenerationStatus done = succeeded(followed);

        assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
        List<GenerationStatus> beforeTheEnd = statuses.seen.subList(0, statuses.reads() - 1);
        assertThat(beforeTheEnd).hasSizeGreaterThanOrEqualTo(3).allSatisfy(seen -> {
            assertThat(seen.phase()).isEqualTo(Phase.RUNNING);
            assertThat(seen.rawStatus()).isNotIn("queued", "processing", "succeeded", "failed");
        });
    }

    @Test
    void everyResponseDialectIsUnderstood() {
        simulator.reconfigure(f -> f.dialect(Dialect.MIXED));
        List<Future<GenerationStatus>> followed = new ArrayList<>();
        Set<Integer> httpStatuses = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            Submission submission = succeeded(client.submit(TestJobs.job("job-mixed-" + i)));
            httpStatuses.add(submission.httpStatus());
            assertThat(submission.generationId()).startsWith("gen_");
            followed.add(client.follow(submission.generationId(), inAMinute()));
        }
        clock.advance(PAST_EVERY_END);

        for (Future<GenerationStatus> future : followed) {
            GenerationStatus done = succeeded(future);
            assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(done.videoUrl()).startsWith(simulator.baseUrl() + "/sim/videos/");
            assertThat(done.reportedCost()).contains(Tokens.of(21));
        }
        assertThat(httpStatuses).hasSizeGreaterThan(1).isSubsetOf(200, 201, 202);
        assertThat(simulator.ledger().snapshot().generationsFor("job-mixed-0")).isEqualTo(1);
    }
}
