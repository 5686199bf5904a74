package dev.troupe.cli.dashboard.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The fleet at one probe: every configured worker endpoint (in the configured order, down ones included)
 * and the group's lag on the jobs topic. Immutable; any thread.
 */
public record FleetSnapshot(Instant at, List<WorkerScrape> workers, ConsumerLag lag) {

    public FleetSnapshot {
        workers = List.copyOf(workers);
    }

    /** Before the first probe: no worker, lag not known yet. */
    static FleetSnapshot empty(Instant at, String group, String topic) {
        return new FleetSnapshot(at, List.of(), ConsumerLag.unknown(group, topic));
    }

    /** Whether the figures are the same as {@code other}'s, whenever each was taken. */
    public boolean sameFiguresAs(FleetSnapshot other) {
        return other != null && workers.equals(other.workers) && lag.equals(other.lag);
    }

    /** Jobs at Givon now, over the workers that answered. */
    public int inFlight() {
        return workers.stream().filter(WorkerScrape::up).mapToInt(w -> w.inFlight() == null ? 0 : w.inFlight()).sum();
    }

    /** The sum of the answering workers' current concurrency limits ({@code troupe_concurrency_limit}). */
    public int limit() {
        return workers.stream().filter(WorkerScrape::up).mapToInt(w -> w.limit() == null ? 0 : w.limit()).sum();
    }

    /**
     * The contract's {@code /api/fleet} document without {@code throughput}: {@code inFlight}, {@code limit},
     * {@code maxInFlight}, {@code workers[]}, {@code lag{group,total,partitions[]}} (plus {@code at}).
     *
     * @param maxInFlight the account's {@code givon.max-in-flight}; null when it sets none
     */
    public JsonObject toJson(Integer maxInFlight) {
        JsonArray each = new JsonArray();
        workers.forEach(w -> each.add(w.toJson()));
        return new JsonObject()
                .put("at", at.toString())
                .put("inFlight", inFlight())
                .put("limit", limit())
                .put("maxInFlight", maxInFlight)
                .put("workers", each)
                .put("lag", lag.toJson());
    }
}
