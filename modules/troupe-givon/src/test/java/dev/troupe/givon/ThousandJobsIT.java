package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.model.MotionJob;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance run: 1,000 jobs at concurrency 200 against a Givon that fails 5% of requests (half
 * of the failed submissions after creating and charging the generation; a 503 that created nothing
 * says Retry-After), swallows 2% of submissions after creating them, and caps active generations per
 * key at 100. Every job must end classified, nothing may be paid twice (the caller retries only what
 * the client calls transient), and the client's view must agree with the simulator's books.
 */
class ThousandJobsIT {

    static final String KEY = "sk-troupe-thousand-0a9b8c";
    private static final int JOBS = 1_000;
    private static final int CONCURRENCY = 200;
    private static final int MAX_SUBMIT_ATTEMPTS = 40;
    private static final PollBackoff SUBMIT_BACKOFF = new PollBackoff(Duration.ofMillis(10), Duration.ofMillis(100), 2.0);

    enum Outcome { SUCCEEDED, FAILED, UNCERTAIN, GAVE_UP, OTHER }

    private Vertx vertx;
    private GivonSimulator simulator;
    private GivonClient client;
    private final Random jitter = new Random(17);

    /** What the client saw, per HTTP status, over every answered request. */
    private final Map<Integer, AtomicLong> answersSeen = new ConcurrentHashMap<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, GivonError> otherErrors = new ConcurrentHashMap<>();
    /** The HTTP status of each uncertain submission, -1 when no answer came. */
    private final Map<String, Integer> uncertainStatus = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicInteger nextJob = new AtomicInteger();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        simulator = TestClients.simulator(vertx, config -> config
                .apiKeys(KEY)
                .generationTime(Duration.ofSeconds(100), Duration.ofSeconds(250), Duration.ofSeconds(600))
                .timeCompression(1000)
                .serverErrorRate(0.05)
                .serverErrorAfterCreateShare(0.5)
                .retryAfterOn503(true)
                .unansweredRate(0.02)
                .dropBeforeCreate(false)
                .failureRate(0.05)
                .concurrencyCapPerKey(100)
                // The simulator writes Retry-After in whole real seconds; 0 keeps the run short while
                // the retry loop still honours whatever Givon asks.
                .retryAfter(Duration.ZERO)
                .seed(2025));
        client = TestClients.client(vertx, simulator.baseUrl(), KEY, 23, b -> b
                .maxPoolSize(CONCURRENCY)
                .connectTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(2))
                .pollBackoff(new PollBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0)));
    }

    @AfterEach
    void stop() {
        client.close();
        TestClients.stop(simulator, vertx);
    }

    @Test
    void thousandJobsEndClassifiedWithNothingPaidTwice() {
        Promise<Void> allDone = Promise.promise();
        vertx.runOnContext(ignored -> {
            List<Future<Void>> lanes = new ArrayList<>();
            for (int lane = 0; lane < CONCURRENCY; lane++) {
                lanes.add(lane());
            }
            Future.all(lanes).<Void>mapEmpty().onComplete(allDone);
        });
        await().atMost(Duration.ofSeconds(60)).until(allDone.future()::isComplete);
        assertThat(allDone.future().succeeded()).as("%s", allDone.future().cause()).isTrue();

        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        outcomes.values().forEach(outcome -> counts.merge(outcome, 1L, Long::sum));
        long uncertain = counts.getOrDefault(Outcome.UNCERTAIN, 0L);
        LedgerSnapshot ledger = simulator.ledger().snapshot();
        System.out.printf("outcomes %s, accepted %d, peak in flight %d, ledger: created %d, unanswered %d, "
                        + "peak active %d, responses %s%n", counts, accepted.get(), peakInFlight.get(),
                ledger.generationsCreated(), ledger.unansweredRequests(), ledger.peakConcurrentGenerations(),
                ledger.responsesByStatus());

        assertThat(outcomes).hasSize(JOBS);
        assertThat(otherErrors).as("jobs without a classified outcome").isEmpty();
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(JOBS);
        assertThat(peakInFlight.get()).isLessThanOrEqualTo(CONCURRENCY);
        assertThat(counts.getOrDefault(Outcome.SUCCEEDED, 0L)).isGreaterThan(JOBS / 2);

        assertThat(ledger.maxGenerationsForOneKey()).isLessThanOrEqualTo(1);
        long unanswered = uncertainStatus.values().stream().filter(status -> status < 0).count();
        long uncertainAfterCreating = uncertainStatus.entrySet().stream()
                .filter(e -> e.getValue() >= 500 && ledger.generationsFor(e.getKey()) == 1).count();
        long uncertainWithoutCreating = uncertainStatus.entrySet().stream()
                .filter(e -> e.getValue() >= 500 && ledger.generationsFor(e.getKey()) == 0).count();
        assertThat(uncertainStatus).hasSize(Math.toIntExact(uncertain));
        assertThat(uncertainStatus.values()).allSatisfy(status -> assertThat(status).isIn(-1, 500, 502, 503));
        assertThat(ledger.unansweredRequests()).isEqualTo(unanswered).isPositive();
        assertThat(uncertainAfterCreating).as("5xx after creating: paid once, never resubmitted").isPositive();
        assertThat(uncertainWithoutCreating).as("5xx that created nothing are uncertain all the same").isPositive();
        assertThat(ledger.generationsCreated()).isEqualTo(accepted.get() + unanswered + uncertainAfterCreating);
        assertThat(counts.getOrDefault(Outcome.SUCCEEDED, 0L) + counts.getOrDefault(Outcome.FAILED, 0L))
                .as("every accepted job is followed to its end").isEqualTo(accepted.get());
        assertThat(ledger.responsesByStatus()).isEqualTo(seenByStatus());
        assertThat(ledger.responses(429)).as("the cap was reached").isPositive();
        assertThat(ledger.responses(500) + ledger.responses(502) + ledger.responses(503)).isPositive();
        outcomes.forEach((jobId, outcome) -> {
            int expected = switch (outcome) {
                case GAVE_UP -> 0;
                case UNCERTAIN -> uncertainStatus.get(jobId) < 0 ? 1 : ledger.generationsFor(jobId);
                case SUCCEEDED, FAILED, OTHER -> 1;
            };
            assertThat(ledger.generationsFor(jobId)).as("generations of %s (%s)", jobId, outcome).isEqualTo(expected);
        });
    }

    /** One of the 200 lanes: runs jobs one after the other until none is left. */
    private Future<Void> lane() {
        int index = nextJob.getAndIncrement();
        if (index >= JOBS) {
            return Future.succeededFuture();
        }
        String jobId = "thousand-" + index;
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return run(TestJobs.job(jobId, 3 + index % 13))
                .onSuccess(outcome -> outcomes.put(jobId, outcome))
                .onComplete(ignored -> inFlight.decrementAndGet())
                .compose(ignored -> lane());
    }

    private Future<Outcome> run(MotionJob job) {
        return submit(job, 1)
                .compose(submission -> {
                    seen(submission.httpStatus());
                    accepted.incrementAndGet();
                    return client.follow(submission.generationId(), Instant.now().plusSeconds(30), new PollObserver() {
                        @Override
                        public void onStatus(GenerationStatus status, int poll) {
                            seen(200);
                        }

                        @Override
                        public void onTransientError(GivonError error, Duration retryIn) {
                            seenError(error);
                        }
                    });
                })
                .map(status -> status.phase() == GenerationStatus.Phase.SUCCEEDED ? Outcome.SUCCEEDED : Outcome.FAILED)
                .recover(failure -> {
                    GivonError error = ((GivonException) failure).error();
                    if (error instanceof GivonError.Uncertain lost) {
                        uncertainStatus.put(job.jobId(), lost.httpStatus());
                        seen(lost.httpStatus());
                    }
                    Outcome outcome = switch (error.kind()) {
                        case UNCERTAIN -> Outcome.UNCERTAIN;
                        case RETRYABLE, RATE_LIMITED -> Outcome.GAVE_UP;
                        case OUT_OF_TOKENS, UNAUTHORIZED, INVALID_REQUEST, NOT_FOUND, DEADLINE_EXCEEDED,
                                UNEXPECTED_RESPONSE -> Outcome.OTHER;
                    };
                    if (outcome == Outcome.OTHER) {
                        otherErrors.put(job.jobId(), error);
                    }
                    return Future.succeededFuture(outcome);
                });
    }

    /** The caller-side retry policy: transient errors again after a jittered pause, Uncertain never. */
    private Future<Submission> submit(MotionJob job, int attempt) {
        return client.submit(job).recover(failure -> {
            GivonError error = ((GivonException) failure).error();
            if (!error.isTransient()) {
                return Future.failedFuture(failure);
            }
            seenError(error);
            if (attempt >= MAX_SUBMIT_ATTEMPTS) {
                return Future.failedFuture(failure);
            }
            Duration pause = SUBMIT_BACKOFF.delay(attempt - 1, jitter);
            if (error instanceof GivonError.RateLimited limited && limited.retryAfter().compareTo(pause) > 0) {
                pause = limited.retryAfter();
            }
            Promise<Void> timer = Promise.promise();
            vertx.setTimer(Math.max(1, pause.toMillis()), id -> timer.complete());
            return timer.future().compose(ignored -> submit(job, attempt + 1));
        });
    }

    private void seenError(GivonError error) {
        if (error instanceof GivonError.Retryable retryable && retryable.httpStatus() > 0) {
            seen(retryable.httpStatus());
        } else if (error instanceof GivonError.RateLimited) {
            seen(429);
        }
    }

    private void seen(int httpStatus) {
        if (httpStatus < 0) {
            return;
        }
        answersSeen.computeIfAbsent(httpStatus, status -> new AtomicLong()).incrementAndGet();
    }

    private Map<Integer, Long> seenByStatus() {
        Map<Integer, Long> seen = new TreeMap<>();
        answersSeen.forEach((status, count) -> seen.put(status, count.get()));
        return seen;
    }
}
