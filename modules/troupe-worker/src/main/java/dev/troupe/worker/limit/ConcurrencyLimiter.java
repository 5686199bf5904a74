package dev.troupe.worker.limit;

import io.vertx.core.Future;
import java.util.function.Function;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Caps the Givon generations a worker keeps in flight, adapting the cap to Givon's unpublished rate
 * limits (AIMD): the limit starts at C, is multiplied by a factor on a 429 (at most once per
 * cooldown) and grows again with successes, always within [1, C]. A 429 also pauses all new
 * acquisitions until its {@code Retry-After} has passed.
 *
 * <p>Growth is {@code additiveIncrease} per success, not per window of {@code limit} successes.
 * Generations take tens of seconds to minutes, so one step per window would need about C - limit job
 * latencies (hours at C in the hundreds) to recover from one halving; per success, the limit at most
 * doubles per latency and a halving is undone in about one. Only successes of permits taken after
 * the last decrease count, so jobs started under the old, too-high limit cannot undo it as they finish.
 *
 * <p>Under a fleet, the limit also stays under this worker's share of the account's concurrency
 * ({@link #share(int)}), which changes with every rebalance.
 *
 * <p>Time is passed in; nothing blocks. Thread-safe: the event loop drives it, metrics read it.
 */
public final class ConcurrencyLimiter {

    private volatile Runnable released = () -> { };

    private final ConcurrencyConfig config;
    private int limit;
    /** This worker's share of the account's concurrency: the limit never passes it. */
    private int share;
    private int inFlight;
    /**
     * Generations taken over and known to run at Givon, counted before their permits are taken: when
     * each stops counting if its permit never comes (oldest first).
     */
    private final java.util.ArrayDeque<Instant> expected = new java.util.ArrayDeque<>();
    /**
     * Generations handed over with their partitions that still run at Givon, since the last division of
     * the account and before it: when each stops counting at the latest. Counted until the division
     * after the one they were handed over in, by which their next owner holds their partition and counts
     * them from its journal, so that their slots are not refilled meanwhile.
     */
    private java.util.ArrayDeque<Instant> handedOver = new java.util.ArrayDeque<>();
    private java.util.ArrayDeque<Instant> handedOverEarlier = new java.util.ArrayDeque<>();
    /** Whether the account's divisions apply to this limiter: without them no other worker waits for a slot handed over. */
    private boolean divided;
    private Instant pausedUntil = Instant.EPOCH;
    private Instant cooldownUntil;
    private long epoch;
    private long decreases;

    public ConcurrencyLimiter(ConcurrencyConfig config) {
        this.config = config;
        this.limit = config.maxConcurrency();
        this.share = config.maxConcurrency();
    }

    /** A permit when below the limit and not paused; empty otherwise. Release it when the job ends. */
    public synchronized Optional<Permit> tryAcquire(Instant now) {
        lapse(expected, now);
        lapse(handedOver, now);
        lapse(handedOverEarlier, now);
        if (isPaused(now) || inFlight() >= limit()) {
            return Optional.empty();
        }
        inFlight++;
        return Optional.of(new Permit(epoch));
    }

    /** Drops the generations counted until a moment now passed (each deque is in the order they were added). */
    private static void lapse(java.util.ArrayDeque<Instant> counting, Instant now) {
        while (!counting.isEmpty() && !now.isBefore(counting.peekFirst())) {
            counting.pollFirst();
        }
    }

    /**
     * A permit whatever the limit, share and pause: for a generation Givon already runs (taken over
     * from a partition's previous owner), which counts against the limit from now on so that new
     * submissions wait for it, rather than running uncounted.
     */
    public synchronized Permit acquireRunning() {
        expected.pollFirst();
        inFlight++;
        return new Permit(epoch);
    }

    /** How long a generation taken over counts without its permit: its record is read and its budget answers well within it. */
    static final Duration EXPECTED_FOR = Duration.ofMinutes(1);

    /**
     * A generation taken over runs at Givon and will take its permit with {@link #acquireRunning} once
     * its record is read again and its budget answers: it counts from {@code now}. One whose permit
     * never comes (its budget refused it, its partition moved on) counts for {@link #EXPECTED_FOR} at
     * most, so that a slot is never lost for good.
     */
    public synchronized void expectRunning(Instant now) {
        expected.addLast(now.plus(EXPECTED_FOR));
    }

    /**
     * A generation that may run at Givon was handed over with its partition: under the account's
     * divisions it keeps counting here until the division after the current one ({@link #divided()}),
     * for {@link #EXPECTED_FOR} at most.
     */
    public synchronized void handedOver(Instant now) {
        if (divided) {
            handedOver.addLast(now.plus(EXPECTED_FOR));
        }
    }

    /**
     * A new division of the account's concurrency applies: generations handed over before the previous
     * one are counted by their next owners now.
     */
    public synchronized void divided() {
        divided = true;
        handedOverEarlier = handedOver;
        handedOver = new java.util.ArrayDeque<>();
    }


    /**
     * Givon answered 429: pauses acquisitions until {@code now + retryAfter} (capped at
     * {@code maxPause}; null or negative means no pause) and lowers the limit unless a decrease
     * happened within the cooldown, which lasts the longer of {@code minDecreaseInterval} and
     * {@code retryAfter}.
     *
     * @return whether the limit was lowered
     */
    public synchronized boolean onRateLimited(Duration retryAfter, Instant now) {
        Duration wait = retryAfter == null || retryAfter.isNegative() ? Duration.ZERO : retryAfter;
        if (wait.compareTo(config.maxPause()) > 0) {
            wait = config.maxPause();
        }
        Instant resumeAt = now.plus(wait);
        if (resumeAt.isAfter(pausedUntil)) {
            pausedUntil = resumeAt;
        }
        if (cooldownUntil != null && now.isBefore(cooldownUntil)) {
            return false;
        }
        Duration cooldown = wait.compareTo(config.minDecreaseInterval()) > 0 ? wait : config.minDecreaseInterval();
        cooldownUntil = now.plus(cooldown);
        epoch++;
        int current = limit();
        int lowered = Math.max(1, (int) Math.floor(current * config.decreaseFactor()));
        if (lowered >= current) {
            return false;
        }
        limit = lowered;
        decreases++;
        return true;
    }

    /**
     * Runs {@code work} holding {@code permit} and releases it once, when the work's future ends,
     * however it ends (a synchronous throw becomes a failed future).
     */
    public static <T> Future<T> withPermit(Permit permit, Function<Permit, Future<T>> work) {
        Future<T> running;
        try {
            running = work.apply(permit);
        } catch (RuntimeException e) {
            running = Future.failedFuture(e);
        }
        return running.eventually(() -> {
            permit.release();
            return Future.succeededFuture();
        });
    }

    /** The job holding {@code permit} got a success from Givon: raise the limit if the permit is recent. */
    public synchronized void onSuccess(Permit permit) {
        if (permit.owner() != this || permit.epoch != epoch) {
            return;
        }
        limit = (int) Math.min(config.maxConcurrency(), (long) limit + config.additiveIncrease());
    }

    /** How many jobs may be in flight now: the adaptive limit under the share. */
    public synchronized int limit() {
        return Math.min(limit, share);
    }

    /**
     * This worker's slots of the account's concurrency ({@code givon.max-in-flight} divided among the
     * fleet), from now on; at most C, at least 0 (a worker that owns no partition starts nothing new).
     * Jobs already in flight keep their permits.
     */
    public synchronized void share(int slots) {
        share = Math.max(0, Math.min(config.maxConcurrency(), slots));
    }

    public synchronized int share() {
        return share;
    }

    /**
     * Generations this worker holds at Givon: permits taken, generations taken over about to take theirs,
     * and generations handed over that their next owner may not count yet.
     */
    public synchronized int inFlight() {
        return inFlight + expected.size() + handedOver.size() + handedOverEarlier.size();
    }

    public int maxLimit() {
        return config.maxConcurrency();
    }

    /** Until when acquisitions are refused because of a {@code Retry-After}; the epoch if never paused. */
    public synchronized Instant pausedUntil() {
        return pausedUntil;
    }

    public synchronized boolean isPaused(Instant now) {
        return now.isBefore(pausedUntil);
    }

    /** How many times the limit has been lowered. */
    public synchronized long decreases() {
        return decreases;
    }

    private void release(Permit permit) {
        boolean freed;
        synchronized (this) {
            freed = !permit.released;
            if (freed) {
                permit.released = true;
                inFlight--;
            }
        }
        if (freed) {
            released.run(); // outside the lock: it wakes other event loops
        }
    }

    /**
     * Told after each slot is given back, on the thread that gave it back; set once, before the first
     * permit (the worker's event loops share this limiter and wake one another through it).
     */
    public void onRelease(Runnable listener) {
        released = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** One slot of the limit, held for the life of a job; releasing it twice frees one slot. */
    public final class Permit {
        private final long epoch;
        private boolean released;

        private Permit(long epoch) {
            this.epoch = epoch;
        }

        public void release() {
            ConcurrencyLimiter.this.release(this);
        }

        public boolean isReleased() {
            synchronized (ConcurrencyLimiter.this) {
                return released;
            }
        }

        private ConcurrencyLimiter owner() {
            return ConcurrencyLimiter.this;
        }

        @Override
        public String toString() {
            return "Permit[epoch=" + epoch + ", released=" + isReleased() + "]";
        }
    }
}
