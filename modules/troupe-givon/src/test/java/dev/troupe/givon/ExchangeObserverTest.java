package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.ExchangeObserver.AnswerClass;
import dev.troupe.givon.ExchangeObserver.Kind;
import dev.troupe.givon.sim.GivonSimulator;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every request a client sends is told to its observer once, with what it was and how Givon answered. */
class ExchangeObserverTest {

    private static final String KEY = "sk-troupe-exchanges-5c2e7a";

    private static Vertx vertx;
    private static GivonSimulator simulator;

    private record Exchange(Kind kind, AnswerClass answer) {}

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        simulator = TestClients.simulator(vertx, config -> config.apiKeys(KEY).fixedGenerationTime(Duration.ofSeconds(5))
                .timeCompression(1000).seed(5));
    }

    @AfterAll
    static void stop() {
        TestClients.stop(simulator, vertx);
    }

    private static GivonClient client(String baseUrl, String key, List<Exchange> seen) {
        GivonConfig config = GivonConfig.builder().baseUrl(baseUrl).apiKey(key)
                .pollBackoff(new PollBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0)).build();
        return GivonClient.create(vertx, config, (kind, answer) -> seen.add(new Exchange(kind, answer)));
    }

    @Test
    void submissionsStatusReadsAndProbesAreEachToldWithTheClassOfTheirAnswer() {
        List<Exchange> seen = new CopyOnWriteArrayList<>();
        long answeredBefore = simulator.ledger().snapshot().totalResponses();
        try (GivonClient client = client(simulator.baseUrl(), KEY, seen)) {
            Submission submission = succeeded(client.submit(TestJobs.job("exchange-1")));
            assertThat(seen).containsExactly(new Exchange(Kind.SUBMIT, AnswerClass.OK));
            succeeded(client.follow(submission.generationId(), java.time.Instant.now().plus(Duration.ofMinutes(1))));
            assertThat(succeeded(client.checkAccess()).verdict()).isEqualTo(AccessCheck.Verdict.ACCEPTED);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(new Exchange(Kind.PROBE, AnswerClass.CLIENT_ERROR)));
        assertThat(seen.stream().filter(e -> e.kind() == Kind.STATUS)).isNotEmpty().allMatch(e -> e.answer() == AnswerClass.OK);
        assertThat(seen).hasSize((int) (simulator.ledger().snapshot().totalResponses() - answeredBefore));
    }

    @Test
    void aRefusedKeyIsA4xxAndNoConnectionIsConnection() {
        List<Exchange> seen = new CopyOnWriteArrayList<>();
        try (GivonClient refused = client(simulator.baseUrl(), "sk-not-a-key-of-this-account", seen)) {
            assertThat(succeeded(refused.checkAccess()).verdict()).isEqualTo(AccessCheck.Verdict.REFUSED);
        }
        // Port 1 on loopback: nothing listens, the connection is refused before anything is sent.
        try (GivonClient nowhere = client("http://127.0.0.1:1", KEY, seen)) {
            assertThat(succeeded(nowhere.submit(TestJobs.job("exchange-2")).map(s -> "accepted").otherwise("failed")))
                    .isEqualTo("failed");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly(new Exchange(Kind.PROBE, AnswerClass.CLIENT_ERROR),
                new Exchange(Kind.SUBMIT, AnswerClass.CONNECTION));
    }

    @Test
    void statusClassesKeep429ApartAndCallAnythingOutside2xx4xx5xxOther() {
        assertThat(AnswerClass.of(200)).isEqualTo(AnswerClass.OK);
        assertThat(AnswerClass.of(202)).isEqualTo(AnswerClass.OK);
        assertThat(AnswerClass.of(404)).isEqualTo(AnswerClass.CLIENT_ERROR);
        assertThat(AnswerClass.of(429)).isEqualTo(AnswerClass.RATE_LIMITED);
        assertThat(AnswerClass.of(503)).isEqualTo(AnswerClass.SERVER_ERROR);
        assertThat(AnswerClass.of(302)).isEqualTo(AnswerClass.OTHER);
        assertThat(AnswerClass.of(101)).isEqualTo(AnswerClass.OTHER);
        assertThat(List.of(AnswerClass.values())).extracting(AnswerClass::label)
                .containsExactly("2xx", "4xx", "429", "5xx", "connection", "no_response", "other");
    }
}
