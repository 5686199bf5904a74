package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.failure;
import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.GenerationStatus.Phase;
import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.RetryAfterFormat;
import dev.troupe.model.Tokens;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a call can fail, against generations that never finish during the test (one real hour). */
class GivonErrorsTest {

    private static final String KEY = "sk-troupe-errors-8c2f51";
    private static final String FORBIDDEN_KEY = "sk-troupe-forbidden-77aa01";
    private static final String UNKNOWN_KEY = "sk-troupe-unknown-d00d13";
    static final String[] SECRETS = {KEY, FORBIDDEN_KEY, UNKNOWN_KEY};

    private static Vertx vertx;
    private static GivonSimulator simulator;
    private GivonClient client;

    @BeforeAll
    static void startSimulator() {
        vertx = Vertx.vertx();
        simulator = TestClients.simulator(vertx, config -> config
                .apiKeys(KEY)
                .forbiddenKeys(FORBIDDEN_KEY)
                .fixedGenerationTime(Duration.ofHours(1))
                .timeCompression(1)
                .seed(5));
    }

    @AfterAll
    static void stop() {
        TestClients.stop(simulator, vertx);
    }

    @BeforeEach
    void newClient() {
        simulator.resetFaults();
        client = client(b -> b);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private GivonClient client(UnaryOperator<GivonConfig.Builder> change) {
        return TestClients.client(vertx, simulator.baseUrl(), KEY, 9, b -> change.apply(b
                .responseTimeout(Duration.ofSeconds(5))
                .pollBackoff(new PollBackoff(Duration.ofMillis(20), Duration.ofMillis(100), 2.0))));
    }

    /** Generations of earlier tests run for an hour: the next one created reaches the cap. */
    private static int capJustAboveActiveGenerations() {
        return Math.toIntExact(simulator.ledger().snapshot().activeGenerations()) + 1;
    }

    @Test
    void aServerErrorIsUncertainForASubmissionAndRetryableForAStatusRead() {
        simulator.reconfigure(f -> f.serverErrorRate(1.0));

        GivonError submitError = failure(client.submit(TestJobs.job("job-5xx-1")), SECRETS);
        GivonError statusError = failure(client.status("gen_whatever"), SECRETS);

        // Nothing was created this time, but nothing in a 5xx proves it: Givon may hold the generation.
        assertThat(submitError).isInstanceOfSatisfying(GivonError.Uncertain.class,
                uncertain -> assertThat(uncertain.httpStatus()).isIn(500, 502, 503));
        assertThat(statusError).isInstanceOf(GivonError.Retryable.class);
        assertThat(simulator.ledger().snapshot().generationsFor("job-5xx-1")).isZero();
    }

    @Test
    void aClosedPortIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;
        try (GivonClient unreachable = client(b -> b.baseUrl(nowhere))) {
            GivonError submitError = failure(unreachable.submit(TestJobs.job("job-refused-1")), SECRETS);
            GivonError statusError = failure(unreachable.status("gen_1"), SECRETS);

            assertThat(submitError).isInstanceOf(GivonError.Retryable.class);
            assertThat(((GivonError.Retryable) submitError).httpStatus()).isEqualTo(-1);
            assertThat(statusError).isInstanceOf(GivonError.Retryable.class);
        }
    }

    @Test
    void rateLimitHonoursRetryAfterInSeconds() {
        int cap = capJustAboveActiveGenerations();
        simulator.reconfigure(f -> f.concurrencyCapPerKey(cap).retryAfter(Duration.ofSeconds(7))
                .retryAfterFormat(RetryAfterFormat.SECONDS));
        succeeded(client.submit(TestJobs.job("job-429-first")));

        GivonError error = failure(client.submit(TestJobs.job("job-429-second")), SECRETS);

        assertThat(error).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(7)));
        assertThat(simulator.ledger().snapshot().generationsFor("job-429-second")).isZero();
    }

    @Test
    void rateLimitHonoursRetryAfterAsHttpDate() {
        int cap = capJustAboveActiveGenerations();
        simulator.reconfigure(f -> f.concurrencyCapPerKey(cap).retryAfter(Duration.ofSeconds(30))
                .retryAfterFormat(RetryAfterFormat.HTTP_DATE));
        succeeded(client.submit(TestJobs.job("job-429date-first")));

        GivonError error = failure(client.submit(TestJobs.job("job-429date-second")), SECRETS);

        assertThat(error).isInstanceOf(GivonError.RateLimited.class);
        // An HTTP-date has whole seconds: the wait is the 30 s asked, less the part of a second already gone.
        assertThat(((GivonError.RateLimited) error).retryAfter()).isBetween(Duration.ofSeconds(28), Duration.ofSeconds(30));
    }

    @Test
    void anEmptyAccountIsOutOfTokens() {
        simulator.reconfigure(f -> f.tokenBalance(Tokens.ZERO));

        GivonError error = failure(client.submit(TestJobs.job("job-402-1")), SECRETS);

        assertThat(error).isInstanceOf(GivonError.OutOfTokens.class);
        assertThat(((GivonError.OutOfTokens) error).message()).contains("21");
    }

    @Test
    void anUnknownKeyIsUnauthorizedAndNeverPrinted() {
        try (GivonClient stranger = client(b -> b.apiKey(UNKNOWN_KEY))) {
            GivonError submitError = failure(stranger.submit(TestJobs.job("job-401-1")), SECRETS);
            GivonError statusError = failure(stranger.status("gen_1"), SECRETS);

            assertThat(submitError).isInstanceOf(GivonError.Unauthorized.class);
            assertThat(((GivonError.Unauthorized) submitError).httpStatus()).isEqualTo(401);
            assertThat(statusError).isInstanceOf(GivonError.Unauthorized.class);
            assertThat(stranger.toString()).doesNotContain(UNKNOWN_KEY);
            assertThat(stranger.config().toString()).doesNotContain(UNKNOWN_KEY);
        }
    }

    @Test
    void aForbiddenKeyIsUnauthorized() {
        try (GivonClient forbidden = client(b -> b.apiKey(FORBIDDEN_KEY))) {
            GivonError error = failure(forbidden.submit(TestJobs.job("job-403-1")), SECRETS);

            assertThat(error).isInstanceOf(GivonError.Unauthorized.class);
            assertThat(((GivonError.Unauthorized) error).httpStatus()).isEqualTo(403);
        }
    }

    @Test
    void anInvalidInputIsRejectedWithTheViolationPath() {
        GivonError error = failure(client.submit(TestJobs.job("job-422-1", 99)), SECRETS);

        assertThat(error).isInstanceOf(GivonError.InvalidRequest.class);
        GivonError.InvalidRequest invalid = (GivonError.InvalidRequest) error;
        assertThat(invalid.httpStatus()).isEqualTo(422);
        assertThat(invalid.message()).contains("input.duration").contains("99");
        assertThat(simulator.ledger().snapshot().generationsFor("job-422-1")).isZero();
    }

    @Test
    void anUnknownGenerationIsNotFoundAndEndsFollowing() {
        GivonError statusError = failure(client.status("gen_does_not_exist"), SECRETS);
        GivonError followError = failure(client.follow("gen_does_not_exist", Instant.now().plusSeconds(60)), SECRETS);

        assertThat(statusError).isEqualTo(new GivonError.NotFound("gen_does_not_exist"));
        assertThat(followError).isEqualTo(new GivonError.NotFound("gen_does_not_exist"));
    }

    @Test
    void anUnansweredSubmissionIsUncertainAndItsGenerationExists() {
        simulator.reconfigure(f -> f.unansweredRate(1.0).dropBeforeCreate(false));
        long unansweredBefore = simulator.ledger().snapshot().unansweredRequests();
        try (GivonClient impatient = client(b -> b.responseTimeout(Duration.ofMillis(300)))) {
            GivonError error = failure(impatient.submit(TestJobs.job("job-silent-1")), SECRETS);

            assertThat(error).isInstanceOf(GivonError.Uncertain.class);
            // On a loaded machine the client can give up before the simulator has even handled the
            // request: exactly why the outcome is uncertain. The generation appears all the same.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> simulator.ledger().snapshot().generationsFor("job-silent-1") == 1);
            LedgerSnapshot ledger = simulator.ledger().snapshot();
            assertThat(ledger.generationsFor("job-silent-1")).isEqualTo(1);
            assertThat(ledger.unansweredRequests()).isEqualTo(unansweredBefore + 1);
        }
    }

    @Test
    void followGivesUpAtTheDeadlineWithTheLastKnownStatus() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-slow-1")));
        // Generous: every status read must end by the deadline, and this one must see the generation at least once.
        Instant deadline = Instant.now().plusSeconds(2);

        GivonError error = failure(client.follow(submission.generationId(), deadline), SECRETS);

        assertThat(error).isInstanceOf(GivonError.DeadlineExceeded.class);
        GivonError.DeadlineExceeded exceeded = (GivonError.DeadlineExceeded) error;
        assertThat(exceeded.deadline()).isEqualTo(deadline);
        assertThat(exceeded.lastKnown().generationId()).isEqualTo(submission.generationId());
        assertThat(exceeded.lastKnown().phase()).isEqualTo(Phase.RUNNING);
        assertThat(exceeded.lastKnown().rawStatus()).isEqualTo("queued");
    }

    @Test
    void anUndocumentedStatusIsRunning() {
        Submission submission = succeeded(client.submit(TestJobs.job("job-odd-status-1")));
        simulator.reconfigure(f -> f.unknownStatusRate(1.0));

        GenerationStatus status = succeeded(client.status(submission.generationId()));

        assertThat(status.phase()).isEqualTo(Phase.RUNNING);
        assertThat(status.rawStatus()).isIn(List.of("warming_up", "pending_review", "uploading", "scheduled"));
    }
}
