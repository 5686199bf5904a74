package dev.troupe.cli.dashboard.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The workers' group behind the jobs topic: per partition, the records not yet committed (log end minus
 * the group's committed offset; a partition the group never committed counts from its earliest offset).
 * When the offsets could not be read, {@code error} says why, {@code total} is null and {@code partitions}
 * is empty.
 */
public record ConsumerLag(String group, String topic, Long total, List<PartitionLag> partitions, String error) {

    /** One partition's lag; {@code committed} is null when the group has committed nothing there. */
    public record PartitionLag(int partition, long lag, long end, Long committed) {
    }

    public ConsumerLag {
        partitions = List.copyOf(partitions);
    }

    /** Before the first probe has answered. */
    static ConsumerLag unknown(String group, String topic) {
        return new ConsumerLag(group, topic, null, List.of(), "not probed yet");
    }

    static ConsumerLag failed(String group, String topic, String error) {
        return new ConsumerLag(group, topic, null, List.of(), error);
    }

    static ConsumerLag of(String group, String topic, List<PartitionLag> partitions) {
        long total = 0;
        for (PartitionLag p : partitions) {
            total = total > Long.MAX_VALUE - p.lag() ? Long.MAX_VALUE : total + p.lag();
        }
        return new ConsumerLag(group, topic, total, partitions, null);
    }

    /** The contract's {@code lag} object of {@code /api/fleet} (plus {@code topic} and {@code error}). */
    public JsonObject toJson() {
        JsonArray each = new JsonArray();
        partitions.forEach(p -> each.add(new JsonObject().put("partition", p.partition()).put("lag", p.lag())));
        return new JsonObject().put("group", group).put("topic", topic).put("total", total).put("partitions", each).put("error", error);
    }
}
