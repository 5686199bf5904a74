package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.failure;
import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.GenerationStatus.Phase;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.ManualSimClock;
import dev.troupe.givon.sim.ScriptedAnswer;
import dev.troupe.givon.sim.SimClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers a proxy, a broken gateway or a hostile Givon gives, played by the simulator (faults and
 * scripted answers, on a manual clock): garbled status pages, hostile numbers, unusable ids, slow
 * bodies, the key echoed back. Each ends classified, bounded, and without the key.
 */
class HostileAnswersTest {

    private static final String KEY = "sk-troupe-hostile-71c0de";
    /** Longer than any generation of this simulator. */
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
                .fixedGenerationTime(Duration.ofSeconds(60))
                .seed(13));
    }

    @AfterAll
    static void stop() {
        TestClients.stop(simulator, vertx);
    }

    @BeforeEach
    void reset() {
        simulator.resetFaults();
        client = client(b -> b);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private GivonClient client(UnaryOperator<GivonConfig.Builder> change) {
        return TestClients.client(vertx, simulator.baseUrl(), KEY, 5, b -> change.apply(b
                .responseTimeout(Duration.ofSeconds(5))
                .pollBackoff(new PollBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0))));
    }

    private static Instant inAMinute() {
        return Instant.now().plus(Duration.ofMinutes(1));
    }

    /** Transient errors a follow reported. */
    private static final class TransientErrors implements PollObserver {
        final List<GivonError> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onTransientError(GivonError error, Duration retryIn) {
            seen.add(error);
        }
    }

    // ---- item 3: a garbled status answer is transient ------------------------------------------

    @Test
    void followKeepsPollingThroughGarbledStatusPagesToTheEnd() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-garbled-1")));
        simulator.reconfigure(f -> f.garbledStatusRate(1.0));
        TransientErrors errors = new TransientErrors();

        Future<GenerationStatus> followed = client.follow(submission.generationId(), inAMinute(), errors);
        await().atMost(AsyncResults.TIMEOUT).until(() -> errors.seen.size() >= 3);
        assertThat(followed.isComplete()).as("a proxy's page ends nothing").isFalse();
        simulator.reconfigure(f -> f.garbledStatusRate(0.5));
        clock.advance(PAST_EVERY_END);

        assertThat(succeeded(followed).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(errors.seen).allSatisfy(error -> assertThat(error).isInstanceOfSatisfying(GivonError.Retryable.class,
                retryable -> {
                    assertThat(retryable.httpStatus()).isEqualTo(200);
                    assertThat(retryable.reason()).startsWith("status answer is not a JSON object: <!DOCTYPE html>");
                }));
    }

    @Test
    void garbledStatusPagesUntilTheDeadlineEndTheFollowAtTheDeadline() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-garbled-2")));
        simulator.reconfigure(f -> f.garbledStatusRate(1.0));

        GivonError error = failure(client.follow(submission.generationId(), Instant.now().plusMillis(500)), KEY);

        assertThat(error).isInstanceOfSatisfying(GivonError.DeadlineExceeded.class,
                exceeded -> assertThat(exceeded.lastKnown().generationId()).isEqualTo(submission.generationId()));
    }

    // ---- item 5: every number from Givon is range-checked ----------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"-5", "\"-21\"", "1e1000000", "\"1e1000000\"", "2000000", "9223372036854775807"})
    void aHostileCostIsNoCostInEitherAnswer(String cost) {
        simulator.script(request -> Optional.of(request.isSubmission()
                ? ScriptedAnswer.json(201, "{\"id\":\"{generationId}\",\"status\":\"queued\",\"cost\":" + cost + "}").afterCreating()
                : ScriptedAnswer.json(200, "{\"id\":\"{generationId}\",\"status\":\"succeeded\",\"cost\":" + cost + "}")));

        Submission submission = succeeded(client.submit(TestJobs.job("job-cost-" + Math.abs(cost.hashCode()))));
        GenerationStatus done = succeeded(client.follow(submission.generationId(), inAMinute()));

        assertThat(submission.reportedCost()).isEmpty();
        assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.reportedCost()).as("the worker accounts its estimate instead").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "Thu, 01 Jan 1970 00:00:00 GMT", "99999999999999999", "9223372036854775807",
            "Fri, 31 Dec 9999 23:59:59 GMT", "soon"})
    void everyRetryAfterIsAWaitBetweenTheFloorAndTheCeiling(String retryAfter) {
        simulator.script(request -> Optional.of(ScriptedAnswer.json(429, "{\"error\":\"slow down\"}")
                .withHeader("Retry-After", retryAfter)));

        GivonError error = failure(client.submit(TestJobs.job("job-429-hostile")), KEY);

        assertThat(error).isInstanceOfSatisfying(GivonError.RateLimited.class, limited ->
                assertThat(limited.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        assertThat(error.describe()).contains(" ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"" + KEY + "\"", "\"gen_" + KEY + "\"", "\"gen 1/../x\"", "\"\\u0000gen\"", "\"gén_1\"", "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890", "\"g0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\""})
    void anUnusableGenerationIdIsUncertainBecauseTheGenerationExists(String id) {
        simulator.script(request -> Optional.of(ScriptedAnswer.json(201, "{\"id\":" + id + ",\"status\":\"queued\"}")
                .afterCreating()));
        String jobId = "job-bad-id-" + Math.abs(id.hashCode());

        GivonError error = failure(client.submit(TestJobs.job(jobId)), KEY);

        assertThat(error).isInstanceOfSatisfying(GivonError.Uncertain.class,
                uncertain -> assertThat(uncertain.httpStatus()).isEqualTo(201));
        assertThat(error.describe()).hasSizeLessThan(1_000);
        assertThat(simulator.ledger().snapshot().generationsFor(jobId)).isEqualTo(1);
    }

    // ---- item 6: every request has a total deadline ----------------------------------------------

    @Test
    void aTricklingSubmissionEndsUncertainAtTheRequestDeadlineAndFreesItsConnection() {
        simulator.script(request -> request.isSubmission()
                ? Optional.of(ScriptedAnswer.json(201, "{\"id\":\"{generationId}\",\"status\":\"queued\"," + "\"pad\":\""
                        + "x".repeat(500) + "\"}").trickled(1, Duration.ofMillis(100)).afterCreating())
                : Optional.empty());
        // One connection only: if the trickle kept it, the status read below could never be sent.
        try (GivonClient patient = client(b -> b.maxPoolSize(1).connectTimeout(Duration.ofSeconds(1))
                .responseTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2)))) {

            GivonError error = failure(patient.submit(TestJobs.job("job-trickle-1")), KEY);
            GivonError next = failure(patient.status("gen_unknown_after_trickle"), KEY);

            assertThat(error).isInstanceOfSatisfying(GivonError.Uncertain.class, uncertain -> {
                assertThat(uncertain.httpStatus()).isEqualTo(-1);
                assertThat(uncertain.reason()).contains("request deadline");
            });
            assertThat(simulator.ledger().snapshot().generationsFor("job-trickle-1")).isEqualTo(1);
            assertThat(next).as("the trickling connection was closed, the pool slot is free again")
                    .isEqualTo(new GivonError.NotFound("gen_unknown_after_trickle"));
        }
    }

    @Test
    void aTricklingStatusReadDuringFollowEndsAtTheFollowDeadline() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-trickle-2")));
        // Ten minutes of body at one byte every 100 ms; the request timeout (60 s) alone would not end it in time.
        simulator.script(request -> request.isStatusRead()
                ? Optional.of(ScriptedAnswer.json(200, "{\"id\":\"{generationId}\",\"status\":\"succeeded\",\"pad\":\""
                        + "x".repeat(6_000) + "\"}").trickled(1, Duration.ofMillis(100)))
                : Optional.empty());
        Instant deadline = Instant.now().plusSeconds(1);

        GivonError error = failure(client.follow(submission.generationId(), deadline), KEY);

        assertThat(error).isInstanceOfSatisfying(GivonError.DeadlineExceeded.class,
                exceeded -> assertThat(exceeded.deadline()).isEqualTo(deadline));
    }

    // ---- item 11: a secret in Givon's words -----------------------------------------------------

    @Test
    void theKeyEchoedInAFailureReasonStatusOrUrlNeverLeavesTheClient() {
        String echo = "upstream said: Authorization: Bearer " + KEY;
        simulator.script(request -> Optional.of(request.isSubmission()
                ? ScriptedAnswer.json(201, "{\"id\":\"{generationId}\",\"status\":\"" + KEY + "\"}").afterCreating()
                : ScriptedAnswer.json(200, "{\"id\":\"{generationId}\",\"status\":\"failed\",\"failureReason\":\"" + echo
                        + "\",\"videoUrl\":\"https://cdn/v.mp4?key=" + KEY + "\"}")));

        Submission submission = succeeded(client.submit(TestJobs.job("job-echo-1")));
        GenerationStatus done = succeeded(client.follow(submission.generationId(), inAMinute()));

        assertThat(done.phase()).isEqualTo(Phase.FAILED);
        assertThat(done.failureReason()).isEqualTo("upstream said: Authorization: Bearer ****");
        assertThat(done.videoUrl()).isEqualTo("https://cdn/v.mp4?key=****");
        assertThat(submission.initial().rawStatus()).isEqualTo("****");
        assertThat(done.toString()).doesNotContain(KEY);
        assertThat(submission.toString()).doesNotContain(KEY);
    }

    @Test
    void theKeyEchoedInAMessageOrViolationsNeverLeavesTheClient() {
        AtomicInteger submissions = new AtomicInteger();
        simulator.script(request -> Optional.of(submissions.incrementAndGet() == 1
                ? ScriptedAnswer.json(400, "{\"error\":{\"message\":\"bad header Bearer " + KEY + "\"}}")
                : ScriptedAnswer.json(422, "{\"message\":\"invalid\",\"violations\":[\"header: Bearer " + KEY
                        + " is not allowed\",{\"path\":\"auth\",\"value\":\"" + KEY + "\",\"message\":\"echoed\"}]}")));

        GivonError message = failure(client.submit(TestJobs.job("job-echo-2")), KEY);
        GivonError violations = failure(client.submit(TestJobs.job("job-echo-3")), KEY);

        assertThat(message.describe()).contains("Bearer ****");
        assertThat(violations.describe()).contains("header: Bearer **** is not allowed").contains("auth: echoed (got ****)");
    }

    @Test
    void aTwoMegabyteFailureReasonComesBackClipped() {
        simulator.script(request -> request.isStatusRead()
                ? Optional.of(ScriptedAnswer.json(200, "{\"id\":\"{generationId}\",\"status\":\"failed\",\"failureReason\":\""
                        + "Bearer " + KEY + " " + "r".repeat(2 * 1024 * 1024) + "\"}"))
                : Optional.empty());
        Submission submission = succeeded(client.submit(TestJobs.job("job-huge-reason")));

        GenerationStatus done = succeeded(client.follow(submission.generationId(), inAMinute()));

        assertThat(done.failureReason()).startsWith("Bearer **** rrr").doesNotContain(KEY)
                .hasSizeLessThanOrEqualTo(GivonText.MAX_FAILURE_REASON_CHARS + 1);
    }
}
