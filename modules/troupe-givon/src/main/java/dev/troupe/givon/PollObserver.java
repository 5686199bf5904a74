package dev.troupe.givon;

import java.time.Duration;

/** Progress callbacks of {@link GivonClient#follow(String, java.time.Instant, PollObserver)}; both optional. */
public interface PollObserver {

    PollObserver NONE = new PollObserver() { };

    /** A status was read ({@code poll} counts from 1). */
    default void onStatus(GenerationStatus status, int poll) {
    }

    /** A poll failed transiently and will be tried again after {@code retryIn}. */
    default void onTransientError(GivonError error, Duration retryIn) {
    }
}
