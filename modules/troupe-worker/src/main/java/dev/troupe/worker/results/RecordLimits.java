package dev.troupe.worker.results;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most bytes a record may take on each topic the worker writes: the smaller of the producer's
 * {@code max.request.size} and the topic's {@code max.message.bytes}, read at start and again when
 * the broker refuses a record as too large (the topic's limit was lowered since). Used by the
 * consumer thread only.
 */
public final class RecordLimits {

    private static final Logger log = LoggerFactory.getLogger(RecordLimits.class);

    private final int maxRequestBytes;
    private final Supplier<Map<String, Integer>> topicLimits;
    private Map<String, Integer> limits;

    /**
     * @param topicLimits reads each topic's {@code max.message.bytes} from the broker (blocking)
     */
    public RecordLimits(int maxRequestBytes, Map<String, Integer> atStart, Supplier<Map<String, Integer>> topicLimits) {
        this.maxRequestBytes = maxRequestBytes;
        this.limits = Map.copyOf(atStart);
        this.topicLimits = Objects.requireNonNull(topicLimits, "topicLimits");
    }

    /** Limits that never change: {@code max.request.size} for every topic (tests). */
    public static RecordLimits of(int maxRequestBytes) {
        return new RecordLimits(maxRequestBytes, Map.of(), Map::of);
    }

    public int maxRecordBytes(String topic) {
        return Math.min(maxRequestBytes, limits.getOrDefault(topic, maxRequestBytes));
    }

    /** Reads the topics' limits again; true if one changed. */
    boolean refresh() {
        try {
            Map<String, Integer> now = Map.copyOf(topicLimits.get());
            boolean changed = !now.equals(limits);
            if (changed) {
                log.warn("topic record limits changed from {} to {} (max.message.bytes); outcomes are cut to fit them", limits, now);
                limits = now;
            }
            return changed;
        } catch (RuntimeException e) {
            log.warn("reading the topics' max.message.bytes failed: {}", e.toString());
            return false;
        }
    }
}
