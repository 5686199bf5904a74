package dev.troupe.worker.control;

import dev.troupe.model.ControlCommand;
import dev.troupe.worker.runner.Controls;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commands in force, one per target as the compacted topic keeps them: the latest command of a
 * record key replaces the one before, a tombstone removes it. Thread-safe: the reader applies, the
 * runner asks.
 */
public final class ControlState implements Controls {

    private final Map<String, ControlCommand> byKey = new ConcurrentHashMap<>();

    /** Applies the record of {@code key}: a command, or null for a tombstone. Returns what it replaced. */
    public ControlCommand apply(String key, ControlCommand command) {
        return command == null ? byKey.remove(key) : byKey.put(key, command);
    }

    @Override
    public ControlCommand cancelOf(String batchId, String jobId, Instant recordTime) {
        if (byKey.isEmpty()) {
            return null; // asked for every job a worker ends: no keys built when no command is in force
        }
        ControlCommand job = jobId == null ? null : cancelling(byKey.get("job:" + jobId), recordTime);
        if (job != null) {
            return job;
        }
        return batchId == null ? null : cancelling(byKey.get("batch:" + batchId), recordTime);
    }

    private static ControlCommand cancelling(ControlCommand command, Instant recordTime) {
        // A record written after the cancel (a retry, a batch sent again) is not cancelled by it.
        return command != null && command.kind() == ControlCommand.Kind.CANCEL && !recordTime.isAfter(command.at()) ? command : null;
    }

    @Override
    public ControlCommand pauseOf(String tenant) {
        ControlCommand own = tenant == null ? null : byKey.get("tenant:" + tenant);
        if (own != null && own.kind() == ControlCommand.Kind.PAUSE) {
            return own;
        }
        ControlCommand fleet = byKey.get("fleet");
        return fleet != null && fleet.kind() == ControlCommand.Kind.PAUSE ? fleet : null;
    }

    public int size() {
        return byKey.size();
    }
}
