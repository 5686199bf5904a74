package dev.troupe.givon;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * Polls one generation until it is terminal: exponential backoff with full jitter on Vert.x timers,
 * transient errors (Retryable, RateLimited) retried within the deadline, anything else final. The
 * deadline is also handed to each status read, so no single read outlives it (a trickling answer is
 * cut there); a follow therefore ends by its deadline, give or take a timer's latency.
 */
final class GenerationFollower {

    /** Reads a generation's status once, ending by the given instant at the latest. */
    interface StatusReader extends BiFunction<String, Instant, Future<GenerationStatus>> {
    }

    private final Vertx vertx;
    private final StatusReader statusReader;
    private final PollBackoff backoff;
    private final Clock clock;
    private final RandomGenerator random;

    GenerationFollower(Vertx vertx, StatusReader statusReader, PollBackoff backoff,
            Clock clock, RandomGenerator random) {
        this.vertx = vertx;
        this.statusReader = statusReader;
        this.backoff = backoff;
        this.clock = clock;
        this.random = random;
    }

    Future<GenerationStatus> follow(String generationId, Instant deadline, PollObserver observer) {
        return new Run(generationId, deadline, observer).poll();
    }

    /** The state of one follow: a chain of polls, never two at once, so no synchronisation is needed. */
    private final class Run {
        private final Instant deadline;
        private final PollObserver observer;
        private final String generationId;
        private GenerationStatus lastKnown;
        private int backoffStep;
        private int polls;

        Run(String generationId, Instant deadline, PollObserver observer) {
            this.generationId = generationId;
            this.deadline = deadline;
            this.observer = observer;
            this.lastKnown = GenerationStatus.unknown(generationId);
        }

        Future<GenerationStatus> poll() {
            if (observer.stopped()) {
                return Future.failedFuture(new CancellationException("the follow of " + generationId + " was stopped by its caller"));
            }
            if (!clock.instant().isBefore(deadline)) {
                return exceeded();
            }
            return statusReader.apply(generationId, deadline)
                    .transform(ar -> ar.succeeded() ? onStatus(ar.result()) : onFailure(ar.cause()));
        }

        private Future<GenerationStatus> exceeded() {
            return Future.failedFuture(new GivonException(new GivonError.DeadlineExceeded(deadline, lastKnown)));
        }

        private Future<GenerationStatus> onStatus(GenerationStatus status) {
            lastKnown = status;
            observer.onStatus(status, ++polls);
            return status.isTerminal() ? Future.succeededFuture(status) : pollAfter(nextBackoff());
        }

        private Future<GenerationStatus> onFailure(Throwable failure) {
            GivonError error = GivonException.errorOf(failure);
            Duration wait = switch (error.kind()) {
                case RETRYABLE -> nextBackoff();
                // Honour Retry-After, and keep growing our own pace in case Givon says 0.
                case RATE_LIMITED -> max(((GivonError.RateLimited) error).retryAfter(), nextBackoff());
                case OUT_OF_TOKENS, UNAUTHORIZED, INVALID_REQUEST, NOT_FOUND, UNCERTAIN, DEADLINE_EXCEEDED,
                        UNEXPECTED_RESPONSE -> null;
            };
            if (wait == null) {
                return Future.failedFuture(failure);
            }
            observer.onTransientError(error, wait);
            return pollAfter(wait);
        }

        private Future<GenerationStatus> pollAfter(Duration wait) {
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                return exceeded();
            }
            // A wait past the deadline ends the follow at the deadline (poll() sees no time left).
            return sleep(wait.compareTo(remaining) < 0 ? wait : remaining).compose(ignored -> poll());
        }

        private Duration nextBackoff() {
            return backoff.delay(backoffStep++, random);
        }
    }

    private Future<Void> sleep(Duration wait) {
        Promise<Void> promise = Promise.promise();
        vertx.setTimer(GivonHttp.timerMillis(wait), timerId -> promise.complete());
        return promise.future();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
