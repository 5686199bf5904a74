package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.failure;
import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.ScriptedAnswer;
import dev.troupe.givon.sim.SimClock;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Item 4: a 5xx to a POST may come after Givon created (and charged) the generation, so only the
 * answers that prove nothing was created are transient or final refusals; every other answer is
 * Uncertain, and the ledger shows why.
 */
class SubmissionCertaintyTest {

    private static final String KEY = "sk-troupe-certainty-5a4b3c";

    private static Vertx vertx;
    private static GivonSimulator simulator;
    private GivonClient client;

    @BeforeAll
    static void startSimulator() {
        vertx = Vertx.vertx();
        simulator = TestClients.simulator(vertx, SimClock.manual(), config -> config
                .apiKeys(KEY).fixedGenerationTime(Duration.ofSeconds(60)).seed(21));
    }

    @AfterAll
    static void stop() {
        TestClients.stop(simulator, vertx);
    }

    @BeforeEach
    void reset() {
        simulator.resetFaults();
        client = TestClients.client(vertx, simulator.baseUrl(), KEY, 2, b -> b.responseTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void aServerErrorAfterCreatingIsUncertainAndTheGenerationIsInTheLedger() {
        simulator.reconfigure(f -> f.serverErrorRate(1.0).serverErrorAfterCreateShare(1.0));

        GivonError error = failure(client.submit(TestJobs.job("job-after-create-1")), KEY);

        assertThat(error).isInstanceOfSatisfying(GivonError.Uncertain.class,
                uncertain -> assertThat(uncertain.httpStatus()).isIn(500, 502, 503));
        assertThat(simulator.ledger().snapshot().generationsFor("job-after-create-1"))
                .as("resubmitting it would have paid twice").isEqualTo(1);
    }

    @Test
    void onlyA503WithRetryAfterIsRetryableAndItCreatedNothing() {
        simulator.reconfigure(f -> f.serverErrorRate(1.0).serverErrorAfterCreateShare(0.5).retryAfterOn503(true));
        Set<GivonError.Kind> kinds = EnumSet.noneOf(GivonError.Kind.class);

        for (int i = 0; i < 40; i++) {
            String jobId = "job-5xx-mix-" + i;
            GivonError error = failure(client.submit(TestJobs.job(jobId)), KEY);
            int created = simulator.ledger().snapshot().generationsFor(jobId);
            kinds.add(error.kind());
            if (error instanceof GivonError.Retryable retryable) {
                assertThat(retryable.httpStatus()).isEqualTo(503);
                assertThat(created).as("a refusing 503 created nothing").isZero();
            } else {
                assertThat(error).isInstanceOf(GivonError.Uncertain.class);
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(GivonError.Kind.RETRYABLE, GivonError.Kind.UNCERTAIN);
    }

    @Test
    void withAnHonouredKeyAResubmissionAfterAnUncertainServerErrorGetsTheSameGeneration() {
        simulator.reconfigure(f -> f.serverErrorRate(1.0).serverErrorAfterCreateShare(1.0).honourIdempotencyKey(true));
        GivonError error = failure(client.submit(TestJobs.job("job-trusted-1")), KEY);
        long replaysBefore = simulator.ledger().snapshot().idempotentReplays();

        simulator.reconfigure(f -> f.serverErrorRate(0.0));
        Submission again = succeeded(client.submit(TestJobs.job("job-trusted-1")));

        assertThat(error).isInstanceOf(GivonError.Uncertain.class);
        LedgerSnapshot ledger = simulator.ledger().snapshot();
        assertThat(ledger.generationsFor("job-trusted-1")).isEqualTo(1);
        assertThat(ledger.idempotentReplays()).isEqualTo(replaysBefore + 1);
        assertThat(succeeded(client.status(again.generationId())).generationId()).isEqualTo(again.generationId());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 504, 408, 409, 301, 307, 520})
    void anyAnswerThatDoesNotProveNothingWasCreatedIsUncertain(int status) {
        // Scripted as the worst case: the generation was created before this answer.
        simulator.script(request -> Optional.of(ScriptedAnswer.json(status, "{\"error\":\"lost\"}").afterCreating()));
        String jobId = "job-lost-" + status;

        GivonError error = failure(client.submit(TestJobs.job(jobId)), KEY);

        assertThat(error).isEqualTo(new GivonError.Uncertain(status,
                "Givon answered " + status + ", which does not prove that nothing was created: lost"));
        assertThat(simulator.ledger().snapshot().generationsFor(jobId)).isEqualTo(1);
    }

    @Test
    void a503WithoutRetryAfterIsUncertain() {
        simulator.script(request -> Optional.of(ScriptedAnswer.json(503, "{\"error\":\"busy\"}")));

        assertThat(failure(client.submit(TestJobs.job("job-503-bare")), KEY)).isInstanceOf(GivonError.Uncertain.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 403, 404, 415, 422, 429})
    void refusalsAreNeverUncertain(int status) {
        simulator.script(request -> Optional.of(ScriptedAnswer.json(status, "{\"error\":\"no\"}")));

        GivonError error = failure(client.submit(TestJobs.job("job-refused-" + status)), KEY);

        assertThat(error).isNotInstanceOf(GivonError.Uncertain.class);
        assertThat(error.isTransient()).isEqualTo(status == 429);
    }

    @Test
    void idempotencyIsUntrustedUnlessConfigured() {
        assertThat(client.config().idempotency()).isEqualTo(GivonConfig.Idempotency.UNTRUSTED);
    }
}
