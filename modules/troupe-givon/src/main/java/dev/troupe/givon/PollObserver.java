package dev.troupe.givon;

import java.time.Duration;

/** Progress callbacks of {@link GivonClient#follow(String, java.time.Instant, PollObserver)}, and its stop; all optional. */
public interface PollObserver {

    PollObserver NONE = new PollObserver() { };

    /** A status was read ({@code poll} counts from 1). */
    default void onStatus(GenerationStatus status, int poll) {
    }

    /**
     * Whether the caller no longer wants the answer (the job was handed to another worker): checked
     * before each status read; the follow then fails with a {@link java.util.concurrent.CancellationException}.
     */
    default boolean stopped() {
        return false;
    }

    /** A poll failed transiently and will be tried again after {@code retryIn}. */
    default void onTransientError(GivonError error, Duration retryIn) {
    }
}
