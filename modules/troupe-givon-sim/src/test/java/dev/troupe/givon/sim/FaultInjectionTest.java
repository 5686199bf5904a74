package dev.troupe.givon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server errors, unanswered requests, the concurrency cap and the token balance, as a client meets them. */
class FaultInjectionTest {

    private static final Duration ONE_HOUR = Duration.ofHours(1);

    private static Vertx vertx;
    private static SimHttp http;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        http = new SimHttp(vertx, 50);
    }

    @AfterAll
    static void stopVertx() {
        SimHttp.await(vertx.close());
    }

    @Test
    void serverErrorsFollowTheRateAndNeverCreateAGeneration() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .serverErrorRate(0.3).seed(3));
        try {
            List<HttpResponse<Buffer>> responses = SimHttp.await(Future.all(IntStream.range(0, 200)
                    .mapToObj(i -> http.submit(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-" + i))
                    .toList())).list();

            Map<Integer, Long> byStatus = responses.stream()
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
            long serverErrors = byStatus.entrySet().stream().filter(e -> e.getKey() >= 500)
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(byStatus.keySet()).isSubsetOf(201, 500, 502, 503);
            assertThat(serverErrors).isBetween(40L, 80L);
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(byStatus.get(201));
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21).times(byStatus.get(201)));
            assertThat(ledger.responsesByStatus()).isEqualTo(byStatus);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void statusReadsFailToo() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config);
        try {
            String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");

            sim.reconfigure(f -> f.serverErrorRate(1.0));
            assertThat(http.generation(sim, id).statusCode()).isIn(500, 502, 503);
            sim.reconfigure(f -> f.serverErrorRate(0.0));
            assertThat(http.generation(sim, id).statusCode()).isEqualTo(200);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void aGarbledStatusAnswerIsA200WithAnHtmlPage() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config);
        try {
            String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");

            sim.reconfigure(f -> f.garbledStatusRate(1.0));
            HttpResponse<Buffer> garbled = http.generation(sim, id);
            sim.reconfigure(f -> f.garbledStatusRate(0.0));
            HttpResponse<Buffer> clean = http.generation(sim, id);

            assertThat(garbled.statusCode()).isEqualTo(200);
            assertThat(garbled.getHeader("Content-Type")).startsWith("text/html");
            assertThat(garbled.bodyAsString()).startsWith("<!DOCTYPE html>");
            assertThat(clean.bodyAsJsonObject().getString("status")).isEqualTo("queued");
            assertThat(sim.ledger().snapshot().responses(200)).isEqualTo(2);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void aServerErrorAfterCreatingIsChargedAndAnHonouredKeyGivesTheGenerationBack() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .serverErrorRate(1.0).serverErrorAfterCreateShare(1.0).honourIdempotencyKey(true));
        try {
            HttpResponse<Buffer> lost = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-5xx-after");
            assertThat(lost.statusCode()).isIn(500, 502, 503);
            assertThat(lost.getHeader("Retry-After")).as("only a refusal says when to come back").isNull();
            LedgerSnapshot afterError = sim.ledger().snapshot();
            assertThat(afterError.generationsFor("job-5xx-after")).isEqualTo(1);
            assertThat(afterError.tokensCharged()).isEqualTo(Tokens.of(21));

            sim.reconfigure(f -> f.serverErrorRate(0.0));
            HttpResponse<Buffer> again = http.post(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-5xx-after");

            assertThat(again.statusCode()).isEqualTo(201);
            assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
            assertThat(http.generation(sim, again.bodyAsJsonObject().getString("id")).statusCode()).isEqualTo(200);
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsFor("job-5xx-after")).isEqualTo(1);
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21));
            assertThat(ledger.idempotentReplays()).isEqualTo(1);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void theAfterCreateShareSplitsServerErrorsAndOnlyRefusalsCarryRetryAfter() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .serverErrorRate(1.0).serverErrorAfterCreateShare(0.5)
                .retryAfterOn503(true).retryAfter(Duration.ofSeconds(3)).seed(4));
        try {
            List<HttpResponse<Buffer>> responses = SimHttp.await(Future.all(IntStream.range(0, 200)
                    .mapToObj(i -> http.submit(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-" + i))
                    .toList())).list();

            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(500, 502, 503));
            assertThat(ledger.generationsCreated()).isBetween(60L, 140L);
            assertThat(ledger.maxGenerationsForOneKey()).isEqualTo(1);
            for (int i = 0; i < responses.size(); i++) {
                HttpResponse<Buffer> response = responses.get(i);
                boolean created = ledger.generationsFor("job-" + i) == 1;
                boolean saysWhen = response.getHeader("Retry-After") != null;
                assertThat(saysWhen).as("job-%d: %d, created %s", i, response.statusCode(), created)
                        .isEqualTo(response.statusCode() == 503 && !created);
                if (saysWhen) {
                    assertThat(response.getHeader("Retry-After")).isEqualTo("3");
                }
            }
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void unansweredPostCreatesAndChargesThenLeavesTheClientWaiting() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config.unansweredRate(1.0));
        try {
            Future<HttpResponse<Buffer>> answer = http.submitRequest(sim, SimHttp.KEY, "job-lost")
                    .timeout(300)
                    .sendBuffer(Buffer.buffer(SimHttp.VALID_BODY));

            await().atMost(Duration.ofSeconds(10)).until(answer::isComplete);
            assertThat(answer.failed()).as("the client gave up").isTrue();
            assertThat(answer.cause()).hasMessageContaining("timeout");
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(1);
            assertThat(ledger.generationsFor("job-lost")).isEqualTo(1);
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21));
            assertThat(ledger.unansweredRequests()).isEqualTo(1);
            assertThat(ledger.totalResponses()).isZero();
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void requestDroppedBeforeCreationChargesNothing() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .unansweredRate(1.0).dropBeforeCreate(true));
        try {
            Future<HttpResponse<Buffer>> answer = http.submitRequest(sim, SimHttp.KEY, "job-dropped")
                    .timeout(300)
                    .sendBuffer(Buffer.buffer(SimHttp.VALID_BODY));

            await().atMost(Duration.ofSeconds(10)).until(answer::isComplete);
            assertThat(answer.failed()).as("the client gave up").isTrue();
            assertThat(answer.cause()).hasMessageContaining("timeout");
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isZero();
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.ZERO);
            assertThat(ledger.unansweredRequests()).isEqualTo(1);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void concurrencyCapAnswers429WithRetryAfterInSecondsOrAsADate() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .apiKeys("sim-key", "other-key")
                .fixedGenerationTime(ONE_HOUR)
                .concurrencyCapPerKey(2)
                .retryAfter(Duration.ofMillis(1500)));
        try {
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(201);
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(201);

            HttpResponse<Buffer> limited = http.post(sim, SimHttp.VALID_BODY);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.getHeader("Retry-After")).isEqualTo("2");
            assertThat(limited.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("rate_limited");
            assertThat(http.post(sim, "other-key", SimHttp.VALID_BODY, null).statusCode())
                    .as("the cap is per API key").isEqualTo(201);

            sim.reconfigure(f -> f.retryAfter(Duration.ofSeconds(30)).retryAfterFormat(RetryAfterFormat.HTTP_DATE));
            String date = http.post(sim, SimHttp.VALID_BODY).getHeader("Retry-After");
            assertThat(date).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            ZonedDateTime retryAt = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(retryAt).isAfter(ZonedDateTime.now().plusSeconds(20));

            sim.reconfigure(f -> f.concurrencyCapPerKey(0));
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).as("storm over").isEqualTo(201);

            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.generationsCreated()).isEqualTo(4);
            assertThat(ledger.responses(429)).isEqualTo(2);
            assertThat(ledger.peakConcurrentFor("sim-key")).isEqualTo(3);
            assertThat(ledger.peakConcurrentFor("other-key")).isEqualTo(1);
            assertThat(ledger.peakConcurrentGenerations()).isEqualTo(4);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void capFreesUpAsGenerationsEnd() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .fixedGenerationTime(Duration.ofSeconds(60)).concurrencyCapPerKey(1));
        try {
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(201);
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(429);

            clock.advance(Duration.ofSeconds(60));

            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(201);
            assertThat(sim.ledger().snapshot().peakConcurrentFor(SimHttp.KEY)).isEqualTo(1);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void spentBalanceAnswers402AndIsNeverExceeded() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .tokenBalance(Tokens.of(50)));
        try {
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(201);
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(201);

            HttpResponse<Buffer> broke = http.post(sim, SimHttp.VALID_BODY);

            assertThat(broke.statusCode()).isEqualTo(402);
            assertThat(broke.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("insufficient_credits");
            assertThat(broke.bodyAsJsonObject().getJsonObject("error").getString("message"))
                    .startsWith("Not enough tokens").contains("21", "8");
            assertThat(sim.ledger().snapshot().tokensCharged()).isEqualTo(Tokens.of(42));

            sim.reconfigure(f -> f.tokenBalance(Tokens.of(63)));
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).as("topped up").isEqualTo(201);
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void concurrentSubmissionsNeverSpendBeyondTheBalance() {
        GivonSimulator sim = TestSimulators.start(vertx, SimClock.manual(), config -> config
                .tokenBalance(Tokens.parse("100.5")));
        try {
            List<HttpResponse<Buffer>> responses = SimHttp.await(Future.all(IntStream.range(0, 20)
                    .mapToObj(i -> http.submit(sim, SimHttp.KEY, SimHttp.VALID_BODY, "job-" + i))
                    .toList())).list();

            Map<Integer, Long> byStatus = responses.stream()
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
            assertThat(byStatus).isEqualTo(Map.of(201, 4L, 402, 16L));
            assertThat(sim.ledger().snapshot().tokensCharged()).isEqualTo(Tokens.of(84));
        } finally {
            SimHttp.await(sim.close());
        }
    }

    @Test
    void refundedFailuresGiveTheirTokensBack() {
        ManualSimClock clock = SimClock.manual();
        GivonSimulator sim = TestSimulators.start(vertx, clock, config -> config
                .fixedGenerationTime(Duration.ofSeconds(60))
                .failureRate(1.0).refundFailed(true).tokenBalance(Tokens.of(21)));
        try {
            String id = http.post(sim, SimHttp.VALID_BODY).bodyAsJsonObject().getString("id");
            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(402);

            clock.advance(Duration.ofSeconds(60));
            assertThat(http.generation(sim, id).bodyAsJsonObject().getString("cost")).isEqualTo("0");

            assertThat(http.post(sim, SimHttp.VALID_BODY).statusCode()).isEqualTo(201);
            LedgerSnapshot ledger = sim.ledger().snapshot();
            assertThat(ledger.tokensRefunded()).isEqualTo(Tokens.of(21));
            assertThat(ledger.tokensCharged()).isEqualTo(Tokens.of(21));
        } finally {
            SimHttp.await(sim.close());
        }
    }
}
