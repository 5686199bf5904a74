package dev.troupe.cli.config;

import dev.troupe.givon.ApiKey;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollBackoff;
import java.time.Duration;

/**
 * The {@code givon.*} keys: where the API is and how to pace it. The key itself never lives in the
 * file: {@code apiKeyEnv} names the environment variable that holds it.
 */
public record GivonSettings(String baseUrl, String apiKeyEnv, String submitPath, String statusPath, Duration connectTimeout,
        Duration responseTimeout, int maxPoolSize, PollBackoff poll, Duration followDeadline, Duration defaultRetryAfter) {

    /** @throws IllegalArgumentException naming the configuration key (e.g. {@code givon.base-url}) */
    public GivonConfig toGivonConfig(ApiKey apiKey) {
        return toGivonConfig(apiKey, baseUrl, poll);
    }

    /** With another base URL and polling pace, e.g. for a simulator. */
    public GivonConfig toGivonConfig(ApiKey apiKey, String baseUrlOverride, PollBackoff pollOverride) {
        try {
            return GivonConfig.builder().baseUrl(baseUrlOverride).apiKey(apiKey).submitPath(submitPath).statusPath(statusPath)
                    .connectTimeout(connectTimeout).responseTimeout(responseTimeout).maxPoolSize(maxPoolSize)
                    .pollBackoff(pollOverride).defaultFollowDeadline(followDeadline).defaultRetryAfter(defaultRetryAfter)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigNames.givon(e.getMessage()), e);
        }
    }
}
