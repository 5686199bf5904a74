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
 * Polls one generation until it is terminal, on Vert.x timers: waits from {@link PollSchedule} (the
 * backoff with full jitter; with a start learned for the model, the first read near it and near-fixed
 * waits after it), transient errors (Retryable, RateLimited) retried on the backoff within the
 * deadline, anything else final. The deadline is also handed to each status read, so no single read
 * outlives it (a trickling answer is cut there); a follow therefore ends by its deadline, give or take
 * a timer's latency. A learned first read that would come at or after the deadline comes at once.
 * A follow that watched its generation from the acceptance and saw it succeed tells
 * {@link GenerationTimes} between which reads it ended.
 */
final class GenerationFollower {

    /** Reads a generation's status once, ending by the given instant at the latest. */
    interface StatusReader extends BiFunction<String, Instant, Future<GenerationStatus>> {
    }

    private final Vertx vertx;
    private final StatusReader statusReader;
    private final PollBackoff backoff;
    private final PollSchedule schedule;
    /** Null when the start is not learned: every follow is on the backoff alone. */
    private final GenerationTimes times;
    private final Clock clock;
    private final RandomGenerator random;

    GenerationFollower(Vertx vertx, StatusReader statusReader, PollBackoff backoff, PollStart start,
            Clock clock, RandomGenerator random) {
        this.vertx = vertx;
        this.statusReader = statusReader;
        this.backoff = backoff;
        this.schedule = new PollSchedule(backoff);
        this.times = start.learn() ? new GenerationTimes(start) : null;
        this.clock = clock;
        this.random = random;
    }

    /** On the backoff alone, learning nothing: the model and the acceptance are not known. */
    Future<GenerationStatus> follow(String generationId, Instant deadline, PollObserver observer) {
        return new Run(generationId, null, clock.instant(), false, deadline, observer).start();
    }

    Future<GenerationStatus> follow(AcceptedGeneration generation, Instant deadline, PollObserver observer) {
        return new Run(generation.generationId(), generation.model(), generation.acceptedAt(), generation.submittedHere(),
                deadline, observer).start();
    }

    /** The start learned for {@code model}, in nanoseconds after the acceptance (at the floor included); NaN: none. */
    double learnedStartNanos(String model) {
        return times == null ? Double.NaN : times.estimateNanos(model);
    }

    /** The state of one follow: a chain of polls, never two at once, so no synchronisation is needed. */
    private final class Run {
        private final Instant deadline;
        private final PollObserver observer;
        private final String generationId;
        private final String model;
        private final Instant acceptedAt;
        private final boolean teaches;
        private final boolean beganKnowing;
        private GenerationStatus lastKnown;
        private int backoffStep;
        private int polls;
        /** When the read that last saw the generation running was sent, in nanoseconds after the acceptance; 0: none did. */
        private long runningAt;
        /** When the read in flight was sent: the generation was running at least until then if it says so. */
        private long readSentAt;

        Run(String generationId, String model, Instant acceptedAt, boolean teaches, Instant deadline, PollObserver observer) {
            this.generationId = generationId;
            this.model = model;
            this.acceptedAt = acceptedAt;
            // Follows begun together with no history end in the order of their times, fastest first: a
            // recency-weighted estimate fed that sorted stream would end on the slowest. So only the first
            // of them to end teaches (it starts the estimate); follows begun with a start known teach.
            this.teaches = teaches && times != null && model != null;
            this.beganKnowing = this.teaches && !Double.isNaN(times.estimateNanos(model));
            this.deadline = deadline;
            this.observer = observer;
            this.lastKnown = GenerationStatus.unknown(generationId);
        }

        Future<GenerationStatus> start() {
            Duration wait = schedule.first(elapsedNanos(), learnedStart(), random);
            if (wait.isZero() || !clock.instant().plus(wait).isBefore(deadline)) {
                return poll();
            }
            return sleep(wait).compose(ignored -> poll());
        }

        Future<GenerationStatus> poll() {
            if (observer.stopped()) {
                return Future.failedFuture(new CancellationException("the follow of " + generationId + " was stopped by its caller"));
            }
            if (!clock.instant().isBefore(deadline)) {
                return exceeded();
            }
            readSentAt = elapsedNanos();
            return statusReader.apply(generationId, deadline)
                    .transform(ar -> ar.succeeded() ? onStatus(ar.result()) : onFailure(ar.cause()));
        }

        private Future<GenerationStatus> exceeded() {
            return Future.failedFuture(new GivonException(new GivonError.DeadlineExceeded(deadline, lastKnown)));
        }

        private Future<GenerationStatus> onStatus(GenerationStatus status) {
            lastKnown = status;
            observer.onStatus(status, ++polls);
            long elapsed = elapsedNanos();
            if (status.isTerminal()) {
                // A failure may come at any time (a refused photo at once): only successes tell how long the model takes.
                if (teaches && status.phase() == GenerationStatus.Phase.SUCCEEDED
                        && (beganKnowing || Double.isNaN(times.estimateNanos(model)))) {
                    times.observe(model, runningAt, elapsed);
                }
                return Future.succeededFuture(status);
            }
            runningAt = readSentAt;
            return pollAfter(schedule.next(elapsed, learnedStart(), backoffStep++, random));
        }

        private long learnedStart() {
            return times == null ? GenerationTimes.AT_ONCE : times.startNanos(model);
        }

        private long elapsedNanos() {
            return Math.max(0, Duration.between(acceptedAt, clock.instant()).toNanos());
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
