package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.failure;
import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.GenerationStatus.Phase;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.SimClock;
import dev.troupe.model.ModelCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The learned start against the simulator on a manual clock: a generation ends only when the test
 * advances simulated time, and the client's schedule runs on real time. Only lower bounds of real time
 * are asserted (a timer never fires early), so a busy machine cannot fail them.
 */
class LearnedStartTest {

    private static final String KEY = "sk-troupe-learned-start-7c2f";
    private static final String MODEL = ModelCatalog.DEFAULT_MODEL;
    private static final Duration GENERATION = Duration.ofSeconds(10);
    /** How long the first generation is seen running before the test ends it: what the client learns. */
    private static final Duration TAUGHT = Duration.ofMillis(1_500);

    private static Vertx vertx;
    private static GivonSimulator simulator;
    private static final ManualSimClock clock = SimClock.manual();
    private GivonClient client;
    private int jobs;

    @BeforeAll
    static void startSimulator() {
        vertx = Vertx.vertx();
        simulator = TestClients.simulator(vertx, clock, config -> config.apiKeys(KEY).generationTime(GENERATION, GENERATION, GENERATION)
                .seed(17));
    }

    @AfterAll
    static void stop() {
        TestClients.stop(simulator, vertx);
    }

    @BeforeEach
    void newClient() {
        simulator.resetFaults();
        client = TestClients.client(vertx, simulator.baseUrl(), KEY, 5, b -> b
                .responseTimeout(Duration.ofSeconds(5))
                .pollBackoff(new PollBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0))
                .pollStart(new PollStart(true, Duration.ofMillis(1), Duration.ofMinutes(1))));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** When each status read answered, and what it said. */
    private static final class Reads implements PollObserver {
        final List<Instant> at = new CopyOnWriteArrayList<>();
        final List<Phase> phases = new CopyOnWriteArrayList<>();

        @Override
        public void onStatus(GenerationStatus status, int poll) {
            at.add(Instant.now());
            phases.add(status.phase());
        }

        long before(Instant instant) {
            return at.stream().filter(read -> read.isBefore(instant)).count();
        }
    }

    private record Followed(AcceptedGeneration generation, Future<GenerationStatus> future, Reads reads) {
    }

    private Followed submitAndFollow(boolean submittedHere, Duration deadline) {
        return submitAndFollow(submittedHere, deadline, () -> { });
    }

    private Followed submitAndFollow(boolean submittedHere, Duration deadline, Runnable beforeFollowing) {
        Submission submission = succeeded(client.submit(TestJobs.job("job-learned-" + ++jobs)));
        beforeFollowing.run();
        AcceptedGeneration generation = new AcceptedGeneration(submission.generationId(), MODEL, Instant.now(), submittedHere);
        Reads reads = new Reads();
        return new Followed(generation, client.follow(generation, generation.acceptedAt().plus(deadline), reads), reads);
    }

    /** Follows one generation from its acceptance, seen running for at least {@link #TAUGHT}, to its end. */
    private void teach() {
        Followed taught = submitAndFollow(true, Duration.ofMinutes(1));
        Instant runningUntil = taught.generation().acceptedAt().plus(TAUGHT);
        // The client learns from when the last read that saw it running was sent; the observer hears
        // answers. Reads are chained, so the second answer after runningUntil belongs to a read sent after it.
        await().atMost(AsyncResults.TIMEOUT).until(() -> taught.reads().at.stream().filter(read -> !read.isBefore(runningUntil))
                .count() >= 2);
        clock.advance(GENERATION);
        assertThat(succeeded(taught.future()).phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void aFollowReadsNoEarlierThanTheStartLearnedForItsModel() {
        assertThat(client.learnedStart(MODEL)).isEmpty();
        teach();
        Duration start = client.learnedStart(MODEL).orElseThrow();
        assertThat(start).as("learned from the last read that saw it running, not the one that saw it end")
                .isGreaterThanOrEqualTo(TAUGHT);

        Followed next = submitAndFollow(true, Duration.ofMinutes(1));
        await().atMost(AsyncResults.TIMEOUT).until(() -> !next.reads().at.isEmpty());
        clock.advance(GENERATION);
        assertThat(succeeded(next.future()).phase()).isEqualTo(Phase.SUCCEEDED);

        // Today's schedule would have read about ten times in that while (20 ms growing to 200 ms).
        Instant earliest = next.generation().acceptedAt().plusNanos((long) (start.toNanos() * (1 - PollSchedule.FIRST_READ_SPREAD)));
        assertThat(next.reads().before(earliest)).as("reads before the learned start").isZero();
        assertThat(next.reads().phases).first().isEqualTo(Phase.RUNNING);
        assertThat(next.reads().phases).last().isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void aGenerationThatEndedBeforeTheStartIsReadOnce() {
        teach();
        Followed ended = submitAndFollow(true, Duration.ofMinutes(1), () -> clock.advance(GENERATION));

        assertThat(succeeded(ended.future()).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(ended.reads().at).hasSize(1);
    }

    /** Begun together, they would end fastest first: a sorted stream that would pull the start to the slowest. */
    @Test
    void followsBegunTogetherWithoutHistoryTeachOnlyThroughTheFirstToEnd() {
        Followed first = submitAndFollow(true, Duration.ofMinutes(1));
        clock.advance(GENERATION.dividedBy(2));
        Followed second = submitAndFollow(true, Duration.ofMinutes(1));
        await().atMost(AsyncResults.TIMEOUT).until(() -> second.reads().at.size() >= 2);
        clock.advance(GENERATION.dividedBy(2)); // the first ends, the second is half way
        assertThat(succeeded(first.future()).phase()).isEqualTo(Phase.SUCCEEDED);
        Duration learned = client.learnedStart(MODEL).orElseThrow();

        int reads = second.reads().at.size();
        await().atMost(AsyncResults.TIMEOUT).until(() -> second.reads().at.size() > reads);
        clock.advance(GENERATION.dividedBy(2));
        assertThat(succeeded(second.future()).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(client.learnedStart(MODEL)).as("the second began with no history").contains(learned);

        Followed third = submitAndFollow(true, Duration.ofMinutes(1));
        await().atMost(AsyncResults.TIMEOUT).until(() -> !third.reads().at.isEmpty());
        clock.advance(GENERATION);
        assertThat(succeeded(third.future()).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(client.learnedStart(MODEL)).as("the third began with the start known").isNotEqualTo(Optional.of(learned));
    }

    @Test
    void takenOverOrFailedGenerationsTeachNothing() {
        Followed takenOver = submitAndFollow(false, Duration.ofMinutes(1));
        await().atMost(AsyncResults.TIMEOUT).until(() -> takenOver.reads().at.size() >= 3);
        clock.advance(GENERATION);
        assertThat(succeeded(takenOver.future()).phase()).isEqualTo(Phase.SUCCEEDED);

        simulator.reconfigure(f -> f.failureRate(1.0));
        Followed failed = submitAndFollow(true, Duration.ofMinutes(1));
        await().atMost(AsyncResults.TIMEOUT).until(() -> failed.reads().at.size() >= 3);
        clock.advance(GENERATION);
        assertThat(succeeded(failed.future()).phase()).isEqualTo(Phase.FAILED);

        assertThat(client.learnedStart(MODEL)).isEmpty();
    }

    @Test
    void aLearnedStartPastTheDeadlineIsReadAtOnce() {
        teach();
        Duration start = client.learnedStart(MODEL).orElseThrow();

        Followed short_ = submitAndFollow(true, start.dividedBy(2));

        GivonError error = failure(short_.future());
        assertThat(error).isInstanceOf(GivonError.DeadlineExceeded.class);
        assertThat(((GivonError.DeadlineExceeded) error).lastKnown().rawStatus()).as("read before the deadline").isNotNull();
    }

    @Test
    void withoutLearningAModelsFollowsAreTodays() {
        client.close();
        client = TestClients.client(vertx, simulator.baseUrl(), KEY, 5, b -> b
                .pollBackoff(new PollBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0))
                .pollStart(PollStart.DEFAULT.learning(false)));
        teach();
        assertThat(client.learnedStart(MODEL)).isEmpty();
    }
}
