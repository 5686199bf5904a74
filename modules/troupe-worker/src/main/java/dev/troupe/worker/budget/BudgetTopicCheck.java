package dev.troupe.worker.budget;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Checks at start that {@code topics.budget} can carry fleet budgets: windows are cut by the broker's
 * clock, so the topic must append with {@code LogAppendTime}; and a reader starts at a window's first
 * record, so the topic must keep records at least as long as the longest window.
 */
public final class BudgetTopicCheck {

    private BudgetTopicCheck() {
    }

    /** @throws IllegalStateException naming the topic, the setting and how to fix it */
    public static void verify(Admin admin, String topic, Duration longestWindow, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config;
        try {
            config = admin.describeConfigs(List.of(resource)).values().get(resource).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the budget topic " + topic + " could not be described (does it exist? `troupe topics create` "
                    + "makes it): " + (e.getCause() == null ? e : e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the budget topic " + topic, e);
        }
        String timestamps = value(config, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
        if (!"LogAppendTime".equals(timestamps)) {
            throw new IllegalStateException("the budget topic " + topic + " has message.timestamp.type=" + timestamps
                    + ", not LogAppendTime: fleet budget windows are cut by the broker's clock. Recreate it with `troupe topics create`, "
                    + "or kafka-configs --alter --entity-type topics --entity-name " + topic + " --add-config message.timestamp.type=LogAppendTime"
                    + " (or set budget.scope: worker to decide budgets per worker)");
        }
        String retention = value(config, TopicConfig.RETENTION_MS_CONFIG);
        long retentionMs = retention == null ? -1 : Long.parseLong(retention);
        if (retentionMs >= 0 && retentionMs < longestWindow.toMillis()) {
            throw new IllegalStateException("the budget topic " + topic + " keeps records for retention.ms=" + retentionMs
                    + ", less than the longest budget window (" + longestWindow + "): a window's first reservations would expire"
                    + " before it ends and be spent again. Raise retention.ms to at least " + longestWindow.toMillis());
        }
        if ("compact".equals(value(config, TopicConfig.CLEANUP_POLICY_CONFIG))) {
            throw new IllegalStateException("the budget topic " + topic + " is compacted: compaction would keep one record per budget "
                    + "and lose the window's reservations. Use cleanup.policy=delete");
        }
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }
}
