package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorClassifierTest {

    private static final String SECRET = "sk-test-classifier-123";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-24T10:00:00Z"), ZoneOffset.UTC);
    private final ErrorClassifier classifier = classifier(GivonConfig.builder().apiKey(SECRET));

    private static ErrorClassifier classifier(GivonConfig.Builder config) {
        return new ErrorClassifier(config.build(), CLOCK);
    }

    // ---- status reads: idempotent, so 408/5xx are simply transient ----------------------------

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 503, 504, 520})
    void transientStatusesOfAStatusReadAreRetryable(int status) {
        assertThat(classifier.classifyStatusRead(status, null, "{\"error\":\"busy\"}", "gen_1"))
                .isEqualTo(new GivonError.Retryable(status, "busy"));
    }

    @Test
    void notFoundNamesTheGeneration() {
        assertThat(classifier.classifyStatusRead(404, null, "", "gen_9")).isEqualTo(new GivonError.NotFound("gen_9"));
    }

    @Test
    void anyOtherStatusOfAStatusReadIsUnexpected() {
        assertThat(classifier.classifyStatusRead(302, null, "", "gen_1")).isInstanceOf(GivonError.UnexpectedResponse.class);
        assertThat(classifier.classifyStatusRead(418, null, "teapot", "gen_1"))
                .isEqualTo(new GivonError.UnexpectedResponse(418, "teapot"));
    }

    // ---- submissions: only answers that prove nothing was created are anything but Uncertain ----

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 504, 520, 599, 408, 409, 418, 302, 307, 100, 600})
    void aSubmissionAnswerThatDoesNotProveNothingWasCreatedIsUncertain(int status) {
        GivonError error = classifier.classifySubmission(status, null, "{\"error\":\"busy\"}");

        assertThat(error).isInstanceOfSatisfying(GivonError.Uncertain.class, uncertain -> {
            assertThat(uncertain.httpStatus()).isEqualTo(status);
            assertThat(uncertain.reason()).contains(String.valueOf(status)).contains("busy");
        });
    }

    @Test
    void a503IsARefusalOnlyWithRetryAfter() {
        assertThat(classifier.classifySubmission(503, "30", "{\"error\":\"busy\"}"))
                .isEqualTo(new GivonError.Retryable(503, "busy"));
        assertThat(classifier.classifySubmission(503, null, "{\"error\":\"busy\"}")).isInstanceOf(GivonError.Uncertain.class);
        assertThat(classifier.classifySubmission(503, " ", "{\"error\":\"busy\"}")).isInstanceOf(GivonError.Uncertain.class);
    }

    @Test
    void refusalsOfASubmissionSayWhy() {
        assertThat(classifier.classifySubmission(400, null, "{\"error\":\"bad json\"}"))
                .isEqualTo(new GivonError.InvalidRequest(400, "bad json"));
        assertThat(classifier.classifySubmission(415, null, "")).isInstanceOf(GivonError.InvalidRequest.class);
        assertThat(classifier.classifySubmission(404, null, "")).isInstanceOfSatisfying(GivonError.UnexpectedResponse.class,
                unexpected -> assertThat(unexpected.message()).contains("submitPath"));
        assertThat(classifier.classifySubmission(402, null, "{\"message\":\"pay up\"}"))
                .isEqualTo(new GivonError.OutOfTokens("pay up"));
        assertThat(classifier(GivonConfig.builder().apiKey(SECRET).outOfCreditStatuses(Set.of()))
                .classifySubmission(402, null, "")).as("402 no longer out of credit: still a refusal")
                .isInstanceOf(GivonError.InvalidRequest.class);
    }

    // ---- both ------------------------------------------------------------------------------

    @Test
    void rateLimitedHonoursRetryAfterOrFallsBackToTheDefault() {
        assertThat(classifier.classifySubmission(429, "3", "")).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(3)));
        assertThat(classifier.classifySubmission(429, "Mon, 24 Nov 2025 10:00:09 GMT", ""))
                .isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(9)));
        assertThat(classifier.classifySubmission(429, null, "")).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(5)));
        assertThat(classifier.classifyStatusRead(429, "2", "", "gen_1")).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(2)));
    }

    @Test
    void retryAfterIsClampedToTheConfiguredFloorAndCeiling() {
        assertThat(classifier.classifySubmission(429, "0", "")).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(1)));
        assertThat(classifier.classifySubmission(429, "Mon, 24 Nov 2025 09:00:00 GMT", ""))
                .isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(1)));
        assertThat(classifier.classifySubmission(429, "9223372036854775807", ""))
                .isEqualTo(new GivonError.RateLimited(Duration.ofMinutes(5)));
        GivonError huge = classifier.classifySubmission(429, "99999999999999999999999", "");
        assertThat(huge).isEqualTo(new GivonError.RateLimited(Duration.ofMinutes(5)));
        assertThat(huge.describe()).contains("300000 ms");
    }

    @Test
    void theKlingOutOfCreditCodesAreOutOfTokensWhateverTheStatus() {
        GivonError balance = classifier.classifySubmission(429, "1",
                "{\"code\":1102,\"message\":\"Account balance not enough\",\"request_id\":\"r-1\"}");
        GivonError resource = classifier.classifySubmission(429, null, "{\"error\":{\"code\":\"1101\",\"message\":\"no resource pack\"}}");

        assertThat(balance).isEqualTo(new GivonError.OutOfTokens("code 1102: Account balance not enough"));
        assertThat(resource).isInstanceOf(GivonError.OutOfTokens.class);
        assertThat(classifier.classifySubmission(400, null, "{\"error_code\":1102}")).isInstanceOf(GivonError.OutOfTokens.class);
        assertThat(classifier.classifySubmission(403, null, "{\"data\":{\"code\":1102}}"))
                .as("a refused key stays a refused key").isInstanceOf(GivonError.Unauthorized.class);
    }

    @Test
    void theKlingConcurrencyCodeIsARateLimit() {
        GivonError concurrency = classifier.classifySubmission(429, "4",
                "{\"code\":1303,\"message\":\"parallel task over resource pack limit\"}");
        GivonError asABadRequest = classifier.classifySubmission(400, null, "{\"data\":{\"code\":\"1303\"}}");

        assertThat(concurrency).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(4)));
        assertThat(asABadRequest).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(5)));
    }

    @Test
    void aConfiguredCodeDecidesAndAnUnknownCodeDoesNot() {
        ErrorClassifier configured = classifier(GivonConfig.builder().apiKey(SECRET)
                .outOfCreditCodes(Set.of("quota_exhausted")).concurrencyLimitCodes(Set.of("too_many_tasks")));

        assertThat(configured.classifySubmission(409, null, "{\"error\":{\"code\":\"quota_exhausted\",\"message\":\"x\"}}"))
                .isInstanceOf(GivonError.OutOfTokens.class);
        assertThat(configured.classifySubmission(409, null, "{\"code\":\"too_many_tasks\"}"))
                .isInstanceOf(GivonError.RateLimited.class);
        assertThat(configured.classifySubmission(429, null, "{\"code\":1102}")).as("1102 is no longer configured")
                .isInstanceOf(GivonError.RateLimited.class);
        assertThat(classifier.classifySubmission(422, null, "{\"code\":\"9999\",\"message\":\"x\"}"))
                .isInstanceOf(GivonError.InvalidRequest.class);
    }

    @Test
    void codesOfServerErrorsDecideNothing() {
        assertThat(classifier.classifySubmission(500, null, "{\"code\":1102}")).isInstanceOf(GivonError.Uncertain.class);
        assertThat(classifier.classifyStatusRead(500, null, "{\"code\":1102}", "gen_1")).isInstanceOf(GivonError.Retryable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"error\":{\"message\":\"reference photo resolution is insufficient\"}}",
            "{\"error\":\"Insufficient credits for this generation\"}",
            "not enough tokens in the balance"})
    void wordsInAMessageNeverMeanOutOfTokens(String body) {
        assertThat(classifier.classifySubmission(422, null, body)).isInstanceOf(GivonError.InvalidRequest.class);
        assertThat(classifier.classifySubmission(400, null, body)).isInstanceOf(GivonError.InvalidRequest.class);
        assertThat(classifier.classifySubmission(409, null, body)).isInstanceOf(GivonError.Uncertain.class);
        assertThat(classifier.classifyStatusRead(409, null, body, "gen_1")).isInstanceOf(GivonError.UnexpectedResponse.class);
    }

    @Test
    void authFailuresAreUnauthorizedEvenWhenTheyMentionTokens() {
        assertThat(classifier.classifySubmission(401, null, "{\"error\":\"invalid token\"}"))
                .isEqualTo(new GivonError.Unauthorized(401, "invalid token"));
        assertThat(classifier.classifyStatusRead(403, null, "", "gen_1")).isInstanceOf(GivonError.Unauthorized.class);
    }

    @Test
    void validationAnswersCarryTheViolations() {
        GivonError error = classifier.classifySubmission(422, null, "{\"error\":{\"message\":\"invalid input\"},"
                + "\"violations\":[{\"path\":\"input.duration\",\"message\":\"must be 3..15 (costs tokens per second)\"}]}");
        assertThat(error).isInstanceOf(GivonError.InvalidRequest.class);
        assertThat(((GivonError.InvalidRequest) error).message())
                .contains("invalid input").contains("input.duration: must be 3..15");
    }

    @Test
    void manyViolationsAreBoundedInCountAndLength() {
        StringBuilder body = new StringBuilder("{\"message\":\"invalid\",\"violations\":[");
        for (int i = 0; i < 5_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"input.field").append(i).append(" is unknown ").append("x".repeat(300)).append('"');
        }
        body.append("]}");

        GivonError error = classifier.classifySubmission(422, null, body.toString());

        assertThat(error.describe()).hasSizeLessThan(2_000).contains("input.field0").contains("more");
    }

    @Test
    void anEchoedKeyIsRedactedAndLongBodiesAreClipped() {
        GivonError error = classifier.classifySubmission(500, null, "upstream said: Bearer " + SECRET + " " + "x".repeat(2_000));
        assertThat(error.describe()).doesNotContain(SECRET).contains("Bearer ****").hasSizeLessThan(700);
        GivonError violations = classifier.classifySubmission(422, null, "{\"message\":\"no\",\"violations\":["
                + "\"header Authorization: Bearer " + SECRET + " is not allowed\"]}");
        assertThat(violations.describe()).doesNotContain(SECRET).contains("Bearer ****");
    }

    @Test
    void onlyRetryableAndRateLimitedErrorsAreTransient() {
        List<GivonError> oneOfEachKind = List.of(new GivonError.Retryable(503, "x"), new GivonError.RateLimited(Duration.ZERO),
                new GivonError.OutOfTokens("x"), new GivonError.Unauthorized(401, "x"), new GivonError.InvalidRequest(422, "x"),
                new GivonError.NotFound("gen_1"), new GivonError.Uncertain(-1, "x"),
                new GivonError.DeadlineExceeded(Instant.EPOCH, GenerationStatus.unknown("gen_1")),
                new GivonError.UnexpectedResponse(-1, "x"));
        assertThat(oneOfEachKind).extracting(GivonError::kind).containsExactlyInAnyOrder(GivonError.Kind.values());
        assertThat(oneOfEachKind).filteredOn(GivonError::isTransient).extracting(GivonError::kind)
                .containsExactlyInAnyOrder(GivonError.Kind.RETRYABLE, GivonError.Kind.RATE_LIMITED);
        assertThat(new GivonError.RateLimited(Duration.ZERO).isTransient()).isTrue();
        assertThat(new GivonError.Uncertain(502, "x").isTransient()).isFalse();
    }

    @Test
    void aRateLimitOfAnyLengthCanBeDescribed() {
        assertThat(new GivonError.RateLimited(Duration.ofSeconds(Long.MAX_VALUE)).describe()).contains("s");
        assertThat(new GivonError.Uncertain(-1, "lost").describe()).contains("no answer");
        assertThat(new GivonError.Uncertain(502, "lost").describe()).contains("HTTP 502");
    }
}
