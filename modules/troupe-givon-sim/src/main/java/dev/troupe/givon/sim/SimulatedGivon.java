package dev.troupe.givon.sim;

import dev.troupe.model.Tokens;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The account behind the simulated API: decides each request's fate in this order (a 5xx fault, a
 * replay of an honoured Idempotency-Key, the concurrency cap, the balance, an unanswered draw that
 * drops before or after creating, create) and keeps the generations. One lock makes check-then-charge
 * atomic; one seeded {@link Random} makes a run replayable given the same request order.
 */
final class SimulatedGivon {

    private static final int[] SERVER_ERRORS = {500, 502, 503};
    private static final List<String> FAILURE_REASONS = List.of(
            "content moderation: the reference photo was flagged",
            "motion video too short: at least 3 seconds of motion are needed",
            "no person detected in the reference photo",
            "internal render error");
    private static final List<String> UNDOCUMENTED_STATUSES =
            List.of("warming_up", "pending_review", "uploading", "scheduled");
    /** Share of a generation's time spent queued before it reports processing. */
    private static final double QUEUED_SHARE = 0.1;

    private final SimulatorConfig config;
    private final SimClock clock;
    private final SimulatorLedger ledger;
    private final Random random;
    private final AtomicReference<Faults> faults;
    private final Map<String, Generation> byId = new HashMap<>();
    private final Map<String, Generation> byIdempotencyKey = new HashMap<>();
    private long counter;

    SimulatedGivon(SimulatorConfig config, SimClock clock, SimulatorLedger ledger, Random random) {
        this.config = config;
        this.clock = clock;
        this.ledger = ledger;
        this.random = random;
        this.faults = new AtomicReference<>(config.faults());
    }

    Faults faults() {
        return faults.get();
    }

    Faults reconfigure(UnaryOperator<Faults> change) {
        return faults.updateAndGet(change);
    }

    synchronized SubmitOutcome submit(String apiKeyLabel, String idempotencyKey, Submission.Valid request) {
        Faults now = faults.get();
        Optional<Integer> fault = serverFault(now);
        if (fault.isEmpty()) {
            return accept(apiKeyLabel, idempotencyKey, request, now);
        }
        // Drawn only when the share is set, so runs without it replay as before.
        boolean afterCreate = now.serverErrorAfterCreateShare() > 0
                && random.nextDouble() < now.serverErrorAfterCreateShare();
        if (!afterCreate) {
            Duration retryAfter = now.retryAfterOn503() && fault.get() == 503 ? now.retryAfter() : null;
            return new SubmitOutcome.ServerFault(fault.get(), false, retryAfter, now.retryAfterFormat());
        }
        SubmitOutcome outcome = accept(apiKeyLabel, idempotencyKey, request, now);
        // The generation exists (new or replayed), but its answer is lost behind the error.
        return outcome instanceof SubmitOutcome.Accepted
                ? new SubmitOutcome.ServerFault(fault.get(), true, null, now.retryAfterFormat())
                : outcome;
    }

    private SubmitOutcome accept(String apiKeyLabel, String idempotencyKey, Submission.Valid request, Faults now) {
        String scopedKey = idempotencyKey == null ? null : apiKeyLabel + "\n" + idempotencyKey;
        if (now.honourIdempotencyKey() && scopedKey != null && byIdempotencyKey.containsKey(scopedKey)) {
            ledger.recordReplay();
            Generation existing = byIdempotencyKey.get(scopedKey);
            return new SubmitOutcome.Accepted(existing, existing.phaseAt(clock.nowNanos()), true);
        }
        long nowNanos = clock.nowNanos();
        int cap = now.concurrencyCapPerKey();
        if (cap > 0 && ledger.activeFor(apiKeyLabel, nowNanos) >= cap) {
            return new SubmitOutcome.Throttled(cap, now.retryAfter(), now.retryAfterFormat());
        }
        if (now.tokenBalance() != null) {
            Tokens left = now.tokenBalance().minus(ledger.chargedAt(nowNanos));
            if (request.cost().exceeds(left)) {
                return new SubmitOutcome.OutOfCredits(request.cost(), Tokens.max(left, Tokens.ZERO));
            }
        }
        boolean unanswered = random.nextDouble() < now.unansweredRate();
        if (unanswered && now.dropBeforeCreate()) {
            ledger.recordUnanswered();
            return new SubmitOutcome.Unanswered(false);
        }
        Generation generation = create(apiKeyLabel, idempotencyKey, request, now, nowNanos);
        remember(generation, scopedKey);
        ledger.recordCreated(generation, nowNanos);
        if (unanswered) {
            ledger.recordUnanswered();
            return new SubmitOutcome.Unanswered(true);
        }
        return new SubmitOutcome.Accepted(generation, Phase.QUEUED, false);
    }

    /**
     * Creates and charges a generation for a scripted answer, whatever the faults, cap and balance say
     * (the test decided); a repeated, honoured Idempotency-Key returns the existing one as usual.
     */
    synchronized Generation createScripted(String apiKeyLabel, String idempotencyKey, Submission.Valid request) {
        Faults now = faults.get();
        String scopedKey = idempotencyKey == null ? null : apiKeyLabel + "\n" + idempotencyKey;
        if (now.honourIdempotencyKey() && scopedKey != null && byIdempotencyKey.containsKey(scopedKey)) {
            ledger.recordReplay();
            return byIdempotencyKey.get(scopedKey);
        }
        long nowNanos = clock.nowNanos();
        Generation generation = create(apiKeyLabel, idempotencyKey, request, now, nowNanos);
        remember(generation, scopedKey);
        ledger.recordCreated(generation, nowNanos);
        return generation;
    }

    synchronized StatusOutcome status(String apiKeyLabel, String id) {
        Faults now = faults.get();
        Optional<Integer> fault = serverFault(now);
        if (fault.isPresent()) {
            return new StatusOutcome.ServerFault(fault.get());
        }
        // Drawn only when the rate is set, so runs without it replay as before.
        if (now.garbledStatusRate() > 0 && random.nextDouble() < now.garbledStatusRate()) {
            return new StatusOutcome.Garbled();
        }
        Generation generation = byId.get(id);
        if (generation == null || !generation.apiKeyLabel().equals(apiKeyLabel)) {
            return new StatusOutcome.NotFound(id);
        }
        long nowNanos = clock.nowNanos();
        ledger.settleUpTo(nowNanos);
        Phase phase = generation.phaseAt(nowNanos);
        // Always drawn, so that the random sequence does not depend on timing.
        boolean undocumented = random.nextDouble() < now.unknownStatusRate();
        String undocumentedStatus = UNDOCUMENTED_STATUSES.get(random.nextInt(UNDOCUMENTED_STATUSES.size()));
        return new StatusOutcome.Found(generation, phase, undocumented && !phase.terminal() ? undocumentedStatus : null);
    }

    /** Nanoseconds since the generation ended on the simulator's clock (negative before its end); empty for an unknown id. */
    synchronized Optional<Long> nanosSinceEnd(String id) {
        Generation generation = byId.get(id);
        return generation == null ? Optional.empty() : Optional.of(clock.nowNanos() - generation.completesNanos());
    }

    /** A generation that has succeeded, for the video endpoint. */
    synchronized Optional<Generation> succeeded(String id) {
        long nowNanos = clock.nowNanos();
        return Optional.ofNullable(byId.get(id)).filter(g -> g.phaseAt(nowNanos) == Phase.SUCCEEDED);
    }

    private void remember(Generation generation, String scopedKey) {
        byId.put(generation.id(), generation);
        if (scopedKey != null) {
            byIdempotencyKey.putIfAbsent(scopedKey, generation);
        }
    }

    private Optional<Integer> serverFault(Faults now) {
        // Both numbers are drawn on every request, so the sequence does not depend on the rate.
        boolean fails = random.nextDouble() < now.serverErrorRate();
        int status = SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
        return fails ? Optional.of(status) : Optional.empty();
    }

    private Generation create(String apiKeyLabel, String idempotencyKey, Submission.Valid request, Faults now,
            long nowNanos) {
        counter++;
        String id = "gen_" + counter + "_" + Long.toString(random.nextLong() & 0xff_ffff_ffffL, 36);
        long duration = clock.realNanos(config.generationTime().sample(random));
        boolean fails = random.nextDouble() < now.failureRate();
        String reason = FAILURE_REASONS.get(random.nextInt(FAILURE_REASONS.size()));
        return new Generation(id, apiKeyLabel, idempotencyKey, request.model().id(), request.cost(),
                nowNanos + Math.round(duration * QUEUED_SHARE), nowNanos + duration,
                fails ? Outcome.failsBecause(reason) : Outcome.SUCCEEDS, now.refundFailed());
    }
}
