package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GivonConfigTest {

    private static final String SECRET = "sk-live-Zq81secret";

    private static GivonConfig.Builder valid() {
        return GivonConfig.builder().apiKey(SECRET);
    }

    @Test
    void defaultsFollowTheAssumedGivonApi() {
        GivonConfig config = valid().build();
        assertThat(config.baseUrl()).isEqualTo("https://api.givon.ai");
        assertThat(config.submitUrl()).isEqualTo("https://api.givon.ai/api/v1/generations");
        assertThat(config.statusUrl("gen_1")).isEqualTo("https://api.givon.ai/api/v1/generations/gen_1");
        assertThat(config.pollBackoff()).isEqualTo(new PollBackoff(Duration.ofSeconds(5), Duration.ofSeconds(30), 2.0));
        assertThat(config.defaultFollowDeadline()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.maxPoolSize()).isPositive().isEqualTo(50);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.defaultRetryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.minRetryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxRetryAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.idempotency()).isEqualTo(GivonConfig.Idempotency.UNTRUSTED);
        assertThat(config.outOfCreditStatuses()).containsExactly(402);
        assertThat(config.outOfCreditCodes()).containsExactlyInAnyOrder("1101", "1102");
        assertThat(config.concurrencyLimitCodes()).containsExactly("1303");
    }

    @Test
    void theHardeningSettingsAreValidatedNamingTheField() {
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build()).hasMessageContaining("requestTimeout must be > 0");
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ofSeconds(10)).build())
                .hasMessageContaining("requestTimeout must be >= responseTimeout");
        assertThatThrownBy(() -> valid().responseTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(20))
                .requestTimeout(Duration.ofSeconds(10)).build()).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> valid().minRetryAfter(Duration.ZERO).build()).hasMessageContaining("minRetryAfter must be > 0");
        assertThatThrownBy(() -> valid().maxRetryAfter(Duration.ofMillis(500)).build())
                .hasMessageContaining("maxRetryAfter must be >= minRetryAfter");
        assertThatThrownBy(() -> valid().defaultRetryAfter(Duration.ofMinutes(10)).build())
                .hasMessageContaining("defaultRetryAfter must lie in [minRetryAfter, maxRetryAfter]");
        assertThatThrownBy(() -> valid().defaultRetryAfter(Duration.ZERO).build()).hasMessageContaining("defaultRetryAfter");
        assertThatThrownBy(() -> valid().idempotency(null).build()).hasMessageContaining("idempotency");
        assertThatThrownBy(() -> valid().outOfCreditStatuses(Set.of(500)).build()).hasMessageContaining("outOfCreditStatuses");
        assertThatThrownBy(() -> valid().outOfCreditStatuses(Set.of(429)).build()).hasMessageContaining("outOfCreditStatuses");
        assertThatThrownBy(() -> valid().outOfCreditStatuses(null).build()).hasMessageContaining("outOfCreditStatuses");
        assertThatThrownBy(() -> valid().outOfCreditCodes(Set.of("has space")).build()).hasMessageContaining("outOfCreditCodes");
        assertThatThrownBy(() -> valid().outOfCreditCodes(Arrays.asList("1101", null)).build()).hasMessageContaining("outOfCreditCodes");
        assertThatThrownBy(() -> valid().concurrencyLimitCodes(Set.of("1102")).build())
                .hasMessageContaining("concurrencyLimitCodes must not repeat a code of outOfCreditCodes");
    }

    @Test
    void codeSetsMayBeEmptyAndAreCopied() {
        List<String> codes = new ArrayList<>(List.of("quota"));
        GivonConfig config = valid().outOfCreditCodes(codes).concurrencyLimitCodes(Set.of()).outOfCreditStatuses(Set.of()).build();
        codes.add("later");

        assertThat(config.outOfCreditCodes()).containsExactly("quota");
        assertThat(config.concurrencyLimitCodes()).isEmpty();
        assertThat(config.outOfCreditStatuses()).isEmpty();
    }

    @Test
    void aTrailingSlashAndAPathPrefixAreKept() {
        GivonConfig config = valid().baseUrl("http://127.0.0.1:8080/givon/").statusPath("/v2/jobs/{id}/status").build();
        assertThat(config.statusUrl("g")).isEqualTo("http://127.0.0.1:8080/givon/v2/jobs/g/status");
    }

    @Test
    void theKeyIsRequired() {
        assertThatThrownBy(() -> GivonConfig.builder().build()).hasMessageContaining("apiKey is required");
    }

    @Test
    void invalidValuesAreRejectedNamingFieldAndRule() {
        assertThatThrownBy(() -> valid().baseUrl("ftp://x").build()).hasMessageContaining("baseUrl").hasMessageContaining("http");
        assertThatThrownBy(() -> valid().baseUrl("api.givon.ai").build()).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> valid().submitPath("api/v1").build()).hasMessageContaining("submitPath must start with '/'");
        assertThatThrownBy(() -> valid().statusPath("/api/v1/generations").build()).hasMessageContaining("statusPath must contain the placeholder {id}");
        assertThatThrownBy(() -> valid().connectTimeout(Duration.ZERO).build()).hasMessageContaining("connectTimeout must be > 0");
        assertThatThrownBy(() -> valid().responseTimeout(Duration.ofSeconds(-1)).build()).hasMessageContaining("responseTimeout must be > 0");
        assertThatThrownBy(() -> valid().maxPoolSize(0).build()).hasMessageContaining("maxPoolSize must be >= 1");
        assertThatThrownBy(() -> valid().defaultFollowDeadline(null).build()).hasMessageContaining("defaultFollowDeadline");
        assertThatThrownBy(() -> valid().defaultRetryAfter(Duration.ofSeconds(-1)).build()).hasMessageContaining("defaultRetryAfter");
        assertThatThrownBy(() -> valid().userAgent(" ").build()).hasMessageContaining("userAgent");
    }

    @Test
    void theKeyNeverShowsInToStringOrValidationMessages() {
        GivonConfig config = valid().build();
        assertThat(config.toString()).doesNotContain(SECRET).contains("ApiKey[****]");
        assertThat(config.apiKey().toString()).isEqualTo("ApiKey[****]");
        assertThatThrownBy(() -> ApiKey.of("sk-with space")).message().doesNotContain("sk-with");
        assertThatThrownBy(() -> valid().baseUrl("not a url").build()).message().doesNotContain(SECRET);
    }

    @Test
    void redactionMasksEveryOccurrence() {
        ApiKey key = ApiKey.of(SECRET);
        assertThat(key.redact("echo " + SECRET + " and " + SECRET)).isEqualTo("echo **** and ****");
        assertThat(key.authorizationHeader()).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void toBuilderRoundTrips() {
        GivonConfig config = valid().maxPoolSize(7).userAgent("x/1").requestTimeout(Duration.ofSeconds(90))
                .minRetryAfter(Duration.ofSeconds(2)).maxRetryAfter(Duration.ofMinutes(1))
                .idempotency(GivonConfig.Idempotency.TRUSTED).outOfCreditStatuses(Set.of(402, 409))
                .outOfCreditCodes(Set.of("a")).concurrencyLimitCodes(Set.of("b")).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
