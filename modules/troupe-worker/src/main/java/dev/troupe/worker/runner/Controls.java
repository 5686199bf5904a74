package dev.troupe.worker.runner;

import dev.troupe.model.ControlCommand;
import java.time.Instant;

/** The operators' commands in force (from {@code troupe.control}), as the runner asks them. Thread-safe. */
public interface Controls {

    /** No commands: nothing is cancelled or paused. */
    Controls NONE = new Controls() {
        @Override
        public ControlCommand cancelOf(String batchId, String jobId, Instant recordTime) {
            return null;
        }

        @Override
        public ControlCommand pauseOf(String tenant) {
            return null;
        }
    };

    /** The cancel that applies to a job of {@code batchId} whose record was written at {@code recordTime}; null if none. */
    ControlCommand cancelOf(String batchId, String jobId, Instant recordTime);

    /** The pause that holds the jobs of {@code tenant} (null: the default budget's), its own or the fleet's; null if none. */
    ControlCommand pauseOf(String tenant);
}
