package dev.troupe.cli.config;

import dev.troupe.givon.ApiKey;
import dev.troupe.givon.GivonConfig;
import dev.troupe.givon.PollBackoff;
import dev.troupe.givon.PollStart;
import dev.troupe.worker.WorkerConfig;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code givon.*} keys: where the API is, how to pace it, and what its undocumented answers
 * mean. The key itself never lives in the file: {@code apiKeyEnv} names the environment variable
 * that holds it. {@code account} holds the account's limits ({@code givon.max-in-flight} and the request
 * rates), which the workers divide among themselves.
 */
public record GivonSettings(String baseUrl, String apiKeyEnv, String submitPath, String statusPath, Duration connectTimeout,
        Duration responseTimeout, Duration requestTimeout, int maxPoolSize, PollBackoff poll, PollStart pollStart, Duration followDeadline,
        Duration defaultRetryAfter, Duration minRetryAfter, Duration maxRetryAfter, GivonConfig.Idempotency idempotency,
        Set<Integer> outOfCreditStatuses, Set<String> outOfCreditCodes, Set<String> concurrencyLimitCodes,
        WorkerConfig.Account account) {

    public GivonSettings {
        outOfCreditStatuses = outOfCreditStatuses == null ? null : Set.copyOf(outOfCreditStatuses);
        outOfCreditCodes = outOfCreditCodes == null ? null : Set.copyOf(outOfCreditCodes);
        concurrencyLimitCodes = concurrencyLimitCodes == null ? null : Set.copyOf(concurrencyLimitCodes);
    }

    /** @throws IllegalArgumentException naming the configuration key (e.g. {@code givon.base-url}) */
    public GivonConfig toGivonConfig(ApiKey apiKey) {
        return toGivonConfig(apiKey, baseUrl, poll, pollStart);
    }

    /** With another base URL and polling pace (and bounds of the learned start), e.g. for a simulator's clock. */
    public GivonConfig toGivonConfig(ApiKey apiKey, String baseUrlOverride, PollBackoff pollOverride, PollStart startOverride) {
        try {
            return GivonConfig.builder().baseUrl(baseUrlOverride).apiKey(apiKey).submitPath(submitPath).statusPath(statusPath)
                    .connectTimeout(connectTimeout).responseTimeout(responseTimeout).requestTimeout(requestTimeout)
                    .maxPoolSize(maxPoolSize).pollBackoff(pollOverride).pollStart(startOverride).defaultFollowDeadline(followDeadline)
                    .defaultRetryAfter(defaultRetryAfter).minRetryAfter(minRetryAfter).maxRetryAfter(maxRetryAfter)
                    .idempotency(idempotency).outOfCreditStatuses(outOfCreditStatuses).outOfCreditCodes(outOfCreditCodes)
                    .concurrencyLimitCodes(concurrencyLimitCodes)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigNames.givon(e.getMessage()), e);
        }
    }
}
