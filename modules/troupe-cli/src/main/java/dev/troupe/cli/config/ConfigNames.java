package dev.troupe.cli.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the field names in the typed constructors' validation messages ({@code maxConcurrency must
 * be ...}) into the configuration keys a user writes ({@code worker.concurrency must be ...}), so the
 * rules stay in one place and the message still names the key.
 */
final class ConfigNames {

    private static final Map<String, String> GIVON = names(
            "baseUrl", "givon.base-url", "submitPath", "givon.submit-path", "statusPath", "givon.status-path",
            "connectTimeout", "givon.connect-timeout", "responseTimeout", "givon.response-timeout",
            "requestTimeout", "givon.request-timeout",
            "maxPoolSize", "givon.max-pool-size", "defaultFollowDeadline", "givon.follow-deadline",
            "defaultRetryAfter", "givon.default-retry-after", "minRetryAfter", "givon.min-retry-after",
            "maxRetryAfter", "givon.max-retry-after", "idempotency", "givon.idempotency",
            "outOfCreditStatuses", "givon.out-of-credit.statuses", "outOfCreditCodes", "givon.out-of-credit.codes",
            "concurrencyLimitCodes", "givon.concurrency-limit-codes", "pollBackoff.initial", "givon.poll.initial",
            "pollBackoff.max", "givon.poll.max", "pollBackoff.multiplier", "givon.poll.multiplier",
            "pollStart.floor", "givon.poll.start.floor", "pollStart.ceiling", "givon.poll.start.ceiling");
    private static final Map<String, String> CONCURRENCY = names(
            "maxConcurrency", "worker.concurrency", "decreaseFactor", "worker.aimd.decrease-factor",
            "additiveIncrease", "worker.aimd.additive-increase", "minDecreaseInterval", "worker.aimd.min-decrease-interval",
            "maxPause", "worker.aimd.max-pause");
    private static final Map<String, String> WORKER = names(
            "retry.max-attempts", "worker.retry.max-attempts", "retry.initial-backoff", "worker.retry.initial-backoff",
            "retry.max-backoff", "worker.retry.max-backoff", "ops.host", "worker.ops.host", "ops.port", "worker.ops.port",
            "topics.jobs", "topics.jobs.name", "topics.results", "topics.results.name", "topics.dlq", "topics.dlq.name",
            "topics.state", "topics.state.name");
    private static final Map<String, String> VALIDATION = names(
            "maxDataUriBytes", "validation.max-data-uri-bytes", "maxRecordBytes", "validation.max-record-bytes");

    private ConfigNames() {
    }

    static String givon(String message) {
        return rename(message, GIVON);
    }

    static String concurrency(String message) {
        return rename(message, CONCURRENCY);
    }

    static String worker(String message) {
        return rename(message, WORKER);
    }

    static String validation(String message) {
        return rename(message, VALIDATION);
    }

    /** The first configuration key a renamed message names, or the fallback. */
    static String keyIn(String message, String fallback) {
        Matcher matcher = Pattern.compile("(?<![A-Za-z0-9_.-])((?:kafka|topics|journal|tracker|results|worker|budget|givon|validation|cli|dashboard)\\.[a-z0-9.-]*[a-z0-9])")
                .matcher(message == null ? "" : message);
        return matcher.find() ? matcher.group(1) : fallback;
    }

    private static String rename(String message, Map<String, String> names) {
        if (message == null) {
            return null;
        }
        String text = message;
        for (Map.Entry<String, String> name : names.entrySet()) {
            text = text.replaceAll("(?<![A-Za-z0-9_.-])" + Pattern.quote(name.getKey()) + "(?![A-Za-z0-9_-])",
                    Matcher.quoteReplacement(name.getValue()));
        }
        return text;
    }

    private static Map<String, String> names(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
