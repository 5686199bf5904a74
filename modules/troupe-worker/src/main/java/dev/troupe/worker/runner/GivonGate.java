package dev.troupe.worker.runner;

import dev.troupe.givon.AccessCheck;
import dev.troupe.givon.GivonError;
import dev.troupe.worker.WorkerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this worker may send submissions to Givon now. Closed (no submission goes out, jobs wait
 * in Kafka and none fails) while the account is out of tokens, while Givon refuses the API key, and
 * while the circuit is open after consecutive failures for want of Givon (no connection, 5xx) across
 * jobs. A refused key and an open circuit end only when a probe (one cheap authenticated read) says
 * Givon answers and accepts the key; an out-of-tokens hold ends after its pause, when the next
 * submission tells. Confined to the runner's event loop, except {@link #ready()}.
 */
final class GivonGate {

    private static final Logger log = LoggerFactory.getLogger(GivonGate.class);
    private static final Duration ERROR_LOG_INTERVAL = Duration.ofMinutes(1);

    /** Why submissions are held. */
    enum Hold { NONE, OUT_OF_TOKENS, KEY_REFUSED, CIRCUIT_OPEN }

    private final Vertx vertx;
    private final Supplier<Future<AccessCheck>> prober;
    private final WorkerConfig.Circuit circuit;
    private final Duration outOfTokensPause;
    private final Clock clock;
    private final Runnable reopened;
    private final FleetHolds fleet;

    /** Volatile for {@link #holding}, read by the metrics; written on the event loop only. */
    private volatile Hold hold = Hold.NONE;
    private Instant heldUntil = Instant.EPOCH;
    private int consecutiveFailures;
    private long probeTimer = -1;
    private Instant lastErrorLog = Instant.EPOCH;
    private volatile boolean ready = true;
    /** {@link #heldUntil()} for other threads. */
    private volatile Instant outOfTokensUntil = Instant.EPOCH;

    /** Where this worker tells the fleet that the account cannot pay (the fleet's account holds). */
    interface FleetHolds {
        FleetHolds NONE = (jobId, hold, detail) -> { };

        void announce(String jobId, Duration hold, String detail);
    }

    /**
     * @param prober   one cheap authenticated call ({@code GivonClient.checkAccess})
     * @param reopened called (on the event loop) when submissions may go out again
     */
    GivonGate(Vertx vertx, Supplier<Future<AccessCheck>> prober, WorkerConfig.Circuit circuit, Duration outOfTokensPause,
              Clock clock, Runnable reopened, FleetHolds fleet) {
        this.fleet = fleet;
        this.vertx = vertx;
        this.prober = prober;
        this.circuit = circuit;
        this.outOfTokensPause = outOfTokensPause;
        this.clock = clock;
        this.reopened = reopened;
    }

    /** True when a submission may be sent now. */
    boolean open(Instant now) {
        if (hold == Hold.OUT_OF_TOKENS && !now.isBefore(heldUntil)) {
            hold = Hold.NONE;
        }
        return hold == Hold.NONE;
    }

    /** Until when an out-of-tokens hold lasts (the pump re-arms its timer to then); the epoch otherwise. */
    Instant heldUntil() {
        return hold == Hold.OUT_OF_TOKENS ? heldUntil : Instant.EPOCH;
    }

    /** Until when submissions are held because the account cannot pay (the epoch if never); any thread. */
    Instant outOfTokensUntil() {
        return outOfTokensUntil;
    }

    Hold hold() {
        return hold;
    }

    /** Whether submissions are held for this reason now; any thread. */
    boolean holding(Hold why) {
        return hold == why;
    }

    /** False while Givon refuses the key or the circuit is open: this worker cannot do its work. Any thread. */
    boolean ready() {
        return ready;
    }

    /** Givon answered a submission (any answer that shows it is there and takes the key). */
    void answered() {
        consecutiveFailures = 0;
    }

    /**
     * A submission failed for want of Givon (no connection, 5xx, no answer).
     *
     * @return true if the circuit is open now: the job should wait for it rather than spend an attempt
     */
    boolean unavailable(GivonError error) {
        if (hold == Hold.CIRCUIT_OPEN || hold == Hold.KEY_REFUSED) {
            return true;
        }
        if (!saysGivonIsAway(error)) {
            consecutiveFailures = 0;
            return false;
        }
        if (++consecutiveFailures < circuit.failureThreshold()) {
            return false;
        }
        log.warn("{} submissions in a row failed for want of Givon (last: {}); holding all submissions, jobs wait in Kafka;"
                + " probing Givon every {}", consecutiveFailures, error.describe(), circuit.probeInterval());
        holdUntilProbed(Hold.CIRCUIT_OPEN);
        return true;
    }

    /** No answer, a 5xx or a 408: Givon (or what is in front of it) is not serving. Any other answer is Givon speaking. */
    private static boolean saysGivonIsAway(GivonError error) {
        int status = switch (error.kind()) {
            case RETRYABLE -> ((GivonError.Retryable) error).httpStatus();
            case UNCERTAIN -> ((GivonError.Uncertain) error).httpStatus();
            case RATE_LIMITED, OUT_OF_TOKENS, UNAUTHORIZED, INVALID_REQUEST, NOT_FOUND, DEADLINE_EXCEEDED,
                    UNEXPECTED_RESPONSE -> 200;
        };
        return status < 0 || status == 408 || status >= 500;
    }

    /** Givon answered {@code jobId}'s submission that the account cannot pay: this worker holds, and tells the fleet. */
    void outOfTokens(String jobId, String detail) {
        Instant now = clock.instant();
        if (hold != Hold.OUT_OF_TOKENS) {
            log.error("Givon says the account is out of tokens ({}); holding all submissions for {}, and telling the fleet",
                    detail, outOfTokensPause);
            fleet.announce(jobId, outOfTokensPause, detail);
        }
        if (hold == Hold.NONE || hold == Hold.OUT_OF_TOKENS) {
            hold = Hold.OUT_OF_TOKENS;
            heldUntil = now.plus(outOfTokensPause);
            outOfTokensUntil = heldUntil;
        }
    }

    /** Another worker (or this one, read back) says the account cannot pay until {@code until}. */
    void heldByFleet(Instant until, String reason) {
        if (hold != Hold.NONE && hold != Hold.OUT_OF_TOKENS) {
            return; // a refused key or an open circuit hold already, until a probe says otherwise
        }
        if (hold == Hold.NONE && until.isAfter(clock.instant())) {
            log.warn("the fleet holds submissions until {}: Givon said the account cannot pay ({})", until, reason);
        }
        if (hold == Hold.NONE) {
            heldUntil = Instant.EPOCH;
        }
        hold = Hold.OUT_OF_TOKENS;
        if (until.isAfter(heldUntil)) {
            heldUntil = until;
        }
        outOfTokensUntil = heldUntil;
    }

    /** Givon refused the API key (401/403): nothing is submitted until a probe shows it accepted again. */
    void keyRefused(String detail) {
        logKeyRefused(detail);
        if (hold != Hold.KEY_REFUSED) {
            holdUntilProbed(Hold.KEY_REFUSED);
        }
    }

    /** At start: one probe, whose outcome is logged; a refused key holds submissions from the first job on. */
    void checkAtStart() {
        prober.get().onSuccess(check -> {
            switch (check.verdict()) {
                case ACCEPTED -> log.info("{}, checked at start with one status read of a generation that does not exist",
                        check.describe());
                case REFUSED -> keyRefused(check.describe());
                case UNKNOWN -> log.warn("could not check the API key at start: {}", check.describe());
            }
        });
    }

    void close() {
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
            probeTimer = -1;
        }
    }

    private void holdUntilProbed(Hold why) {
        hold = why;
        ready = false;
        scheduleProbe();
    }

    private void scheduleProbe() {
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        probeTimer = vertx.setTimer(Math.max(1, circuit.probeInterval().toMillis()), id -> {
            probeTimer = -1;
            prober.get().onComplete(ar -> probed(ar.succeeded() ? ar.result()
                    : new AccessCheck(AccessCheck.Verdict.UNKNOWN, -1, String.valueOf(ar.cause()))));
        });
    }

    private void probed(AccessCheck check) {
        if (hold != Hold.KEY_REFUSED && hold != Hold.CIRCUIT_OPEN) {
            return;
        }
        switch (check.verdict()) {
            case ACCEPTED -> {
                log.info("Givon answers and accepts the API key again; submissions resume");
                hold = Hold.NONE;
                ready = true;
                consecutiveFailures = 0;
                reopened.run();
            }
            case REFUSED -> {
                hold = Hold.KEY_REFUSED;
                ready = false;
                logKeyRefused(check.describe());
                scheduleProbe();
            }
            case UNKNOWN -> {
                if (hold == Hold.KEY_REFUSED) {
                    logKeyRefused(check.describe());
                }
                scheduleProbe();
            }
        }
    }

    private void logKeyRefused(String detail) {
        Instant now = clock.instant();
        if (hold != Hold.KEY_REFUSED || !now.isBefore(lastErrorLog.plus(ERROR_LOG_INTERVAL))) {
            lastErrorLog = now;
            log.error("Givon refuses the API key ({}): no job is submitted, they wait in Kafka; fix the key "
                    + "(the variable givon.api-key-env names) and the worker resumes by itself", detail);
        }
    }
}
