package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
        GivonConfig config = valid().maxPoolSize(7).userAgent("x/1").build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
