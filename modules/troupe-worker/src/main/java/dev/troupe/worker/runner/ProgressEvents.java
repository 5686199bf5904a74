package dev.troupe.worker.runner;

import dev.troupe.model.ProgressEvent;

/**
 * Where {@link JobLifecycle} hands each job's progress ({@code troupe.progress}). Called on the runner's
 * event loop: it must return at once, never block and never throw; an event it cannot send is dropped
 * (progress is informative, a job's outcome is its result).
 */
@FunctionalInterface
public interface ProgressEvents {

    /** Sends nothing (no progress topic). */
    ProgressEvents NONE = event -> { };

    void emit(ProgressEvent event);
}
