package dev.troupe.cli.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One topic as {@code troupe topics create} makes it.
 *
 * @param retention how long records are kept, or null to keep them forever; unused when compacted
 * @param compacted keep the latest record per key instead of expiring by time
 * @param brokerTime records take the broker's append time ({@code message.timestamp.type=LogAppendTime}), as the
 *                   budget log needs: its windows are cut by one clock for the whole fleet
 */
public record TopicSpec(String name, int partitions, Duration retention, boolean compacted, boolean brokerTime) {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public TopicSpec {
        if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name must be 1 to 249 characters of A-Z a-z 0-9 . _ -, got '" + name + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("retention must be positive (or forever), got " + retention);
        }
    }

    public TopicSpec(String name, int partitions, Duration retention, boolean compacted) {
        this(name, partitions, retention, compacted, false);
    }

    public TopicSpec withBrokerTime() {
        return new TopicSpec(name, partitions, retention, compacted, true);
    }

    /** Kafka's {@code retention.ms}: -1 for forever. */
    public long retentionMillis() {
        return retention == null ? -1 : retention.toMillis();
    }

    public String cleanupPolicy() {
        return compacted ? "compact" : "delete";
    }
}
