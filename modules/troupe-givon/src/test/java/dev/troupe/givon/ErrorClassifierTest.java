package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorClassifierTest {

    private static final String SECRET = "sk-test-classifier-123";
    private final ErrorClassifier classifier = new ErrorClassifier(ApiKey.of(SECRET),
            Clock.fixed(Instant.parse("2025-11-24T10:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(5));

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 503, 504, 520})
    void transientStatusesAreRetryable(int status) {
        assertThat(classifier.classify(status, null, "{\"error\":\"busy\"}", null))
                .isEqualTo(new GivonError.Retryable(status, "busy"));
    }

    @Test
    void rateLimitedHonoursRetryAfterOrFallsBackToTheDefault() {
        assertThat(classifier.classify(429, "3", "", null)).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(3)));
        assertThat(classifier.classify(429, "Mon, 24 Nov 2025 10:00:09 GMT", "", null))
                .isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(9)));
        assertThat(classifier.classify(429, null, "", null)).isEqualTo(new GivonError.RateLimited(Duration.ofSeconds(5)));
    }

    @Test
    void paymentRequiredOrTalkOfCreditsIsOutOfTokens() {
        assertThat(classifier.classify(402, null, "{\"message\":\"balance too low\"}", null))
                .isEqualTo(new GivonError.OutOfTokens("balance too low"));
        assertThat(classifier.classify(400, null, "{\"error\":\"Insufficient credits for this generation\"}", null))
                .isInstanceOf(GivonError.OutOfTokens.class);
        assertThat(classifier.classify(409, null, "not enough tokens", null)).isInstanceOf(GivonError.OutOfTokens.class);
    }

    @Test
    void authFailuresAreUnauthorizedEvenWhenTheyMentionTokens() {
        assertThat(classifier.classify(401, null, "{\"error\":\"invalid token\"}", null))
                .isEqualTo(new GivonError.Unauthorized(401, "invalid token"));
        assertThat(classifier.classify(403, null, "", null)).isInstanceOf(GivonError.Unauthorized.class);
    }

    @Test
    void validationAnswersCarryTheViolations() {
        GivonError error = classifier.classify(422, null, "{\"error\":{\"message\":\"invalid input\"},"
                + "\"violations\":[{\"path\":\"input.duration\",\"message\":\"must be 3..15 (costs tokens per second)\"}]}", null);
        assertThat(error).isInstanceOf(GivonError.InvalidRequest.class);
        assertThat(((GivonError.InvalidRequest) error).message())
                .contains("invalid input").contains("input.duration: must be 3..15");
    }

    @Test
    void notFoundNamesTheGeneration() {
        assertThat(classifier.classify(404, null, "", "gen_9")).isEqualTo(new GivonError.NotFound("gen_9"));
        assertThat(classifier.classify(404, null, "", null)).isInstanceOf(GivonError.UnexpectedResponse.class);
    }

    @Test
    void anythingElseIsUnexpected() {
        assertThat(classifier.classify(302, null, "", null)).isInstanceOf(GivonError.UnexpectedResponse.class);
        assertThat(classifier.classify(418, null, "teapot", null)).isEqualTo(new GivonError.UnexpectedResponse(418, "teapot"));
    }

    @Test
    void anEchoedKeyIsRedactedAndLongBodiesAreClipped() {
        GivonError error = classifier.classify(500, null, "upstream said: Bearer " + SECRET + " " + "x".repeat(2_000), null);
        assertThat(error.describe()).doesNotContain(SECRET).contains("Bearer ****").hasSizeLessThan(700);
    }

    @Test
    void onlyRetryableAndRateLimitedErrorsAreTransient() {
        List<GivonError> oneOfEachKind = List.of(new GivonError.Retryable(503, "x"), new GivonError.RateLimited(Duration.ZERO),
                new GivonError.OutOfTokens("x"), new GivonError.Unauthorized(401, "x"), new GivonError.InvalidRequest(422, "x"),
                new GivonError.NotFound("gen_1"), new GivonError.Uncertain("x"),
                new GivonError.DeadlineExceeded(Instant.EPOCH, GenerationStatus.unknown("gen_1")),
                new GivonError.UnexpectedResponse(-1, "x"));
        assertThat(oneOfEachKind).extracting(GivonError::kind).containsExactlyInAnyOrder(GivonError.Kind.values());
        assertThat(oneOfEachKind).filteredOn(GivonError::isTransient).extracting(GivonError::kind)
                .containsExactlyInAnyOrder(GivonError.Kind.RETRYABLE, GivonError.Kind.RATE_LIMITED);
        assertThat(new GivonError.RateLimited(Duration.ZERO).isTransient()).isTrue();
        assertThat(new GivonError.Uncertain("x").isTransient()).isFalse();
    }
}
