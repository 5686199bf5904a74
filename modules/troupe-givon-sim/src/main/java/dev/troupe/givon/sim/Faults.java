package dev.troupe.givon.sim;

import dev.troupe.model.Tokens;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The misbehaviour a simulator injects. Everything here can change while the simulator runs
 * ({@link GivonSimulator#reconfigure}), e.g. to start a 429 storm and end it.
 *
 * @param serverErrorRate      probability that a POST or GET answers 500/502/503
 * @param serverErrorAfterCreateShare the share of POST server errors that happen after the generation was
 *                             created and charged (a gateway losing Givon's answer): the ledger counts the
 *                             generation, and with {@code honourIdempotencyKey} a resubmission gets it back.
 *                             The others create nothing
 * @param retryAfterOn503      whether a 503 that created nothing carries a {@code Retry-After} header
 *                             ({@code retryAfter}, in {@code retryAfterFormat}): a Givon that says "come back
 *                             later" only when it refused. A 503 after creating never carries one
 * @param unansweredRate       probability that an accepted POST is never answered (the connection stays open)
 * @param dropBeforeCreate     when true an unanswered POST creates nothing (the mild case); when false
 *                             it creates and charges the generation first (the worst case)
 * @param failureRate          probability that a created generation ends failed
 * @param unknownStatusRate    probability that a GET of a running generation reports an undocumented status
 * @param garbledStatusRate    probability that a GET of a generation's status answers 200 with an HTML page
 *                             (a proxy's error page) instead of JSON
 * @param concurrencyCapPerKey active generations per API key above which POST answers 429; 0 = unlimited
 * @param retryAfter           the delay a 429 asks for
 * @param retryAfterFormat     how that delay is written
 * @param tokenBalance         the account's credit; null = unlimited. POST answers 402 when a
 *                             generation costs more than what is left
 * @param refundFailed         whether a failed generation gives its tokens back (fixed at creation)
 * @param honourIdempotencyKey whether a repeated {@code Idempotency-Key} returns the existing generation
 *                             instead of creating (and charging) a new one
 * @param dialect              how responses are worded
 */
public record Faults(
        double serverErrorRate,
        double serverErrorAfterCreateShare,
        boolean retryAfterOn503,
        double unansweredRate,
        boolean dropBeforeCreate,
        double failureRate,
        double unknownStatusRate,
        double garbledStatusRate,
        int concurrencyCapPerKey,
        Duration retryAfter,
        RetryAfterFormat retryAfterFormat,
        Tokens tokenBalance,
        boolean refundFailed,
        boolean honourIdempotencyKey,
        Dialect dialect) {

    /** A well-behaved Givon: no faults, no cap, unlimited tokens, standard wording. */
    public static final Faults NONE = new Builder().build();

    public Faults {
        requireRate("serverErrorRate", serverErrorRate);
        requireRate("serverErrorAfterCreateShare", serverErrorAfterCreateShare);
        requireRate("garbledStatusRate", garbledStatusRate);
        requireRate("unansweredRate", unansweredRate);
        requireRate("failureRate", failureRate);
        requireRate("unknownStatusRate", unknownStatusRate);
        if (concurrencyCapPerKey < 0) {
            throw new IllegalArgumentException("concurrencyCapPerKey must be >= 0 (0 = unlimited), got " + concurrencyCapPerKey);
        }
        Objects.requireNonNull(retryAfter, "retryAfter must be set");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be >= 0, got " + retryAfter);
        }
        Objects.requireNonNull(retryAfterFormat, "retryAfterFormat must be set");
        if (tokenBalance != null && tokenBalance.isNegative()) {
            throw new IllegalArgumentException("tokenBalance must be >= 0 or unset (unlimited), got " + tokenBalance);
        }
        Objects.requireNonNull(dialect, "dialect must be set");
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + rate);
        }
    }

    public Optional<Tokens> balance() {
        return Optional.ofNullable(tokenBalance);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; defaults are those of {@link #NONE}. */
    public static final class Builder {
        private double serverErrorRate;
        private double serverErrorAfterCreateShare;
        private boolean retryAfterOn503;
        private double unansweredRate;
        private boolean dropBeforeCreate;
        private double failureRate;
        private double unknownStatusRate;
        private double garbledStatusRate;
        private int concurrencyCapPerKey;
        private Duration retryAfter = Duration.ofSeconds(1);
        private RetryAfterFormat retryAfterFormat = RetryAfterFormat.SECONDS;
        private Tokens tokenBalance;
        private boolean refundFailed;
        private boolean honourIdempotencyKey;
        private Dialect dialect = Dialect.STANDARD;

        Builder() {
        }

        Builder(Faults from) {
            serverErrorRate = from.serverErrorRate;
            serverErrorAfterCreateShare = from.serverErrorAfterCreateShare;
            retryAfterOn503 = from.retryAfterOn503;
            garbledStatusRate = from.garbledStatusRate;
            unansweredRate = from.unansweredRate;
            dropBeforeCreate = from.dropBeforeCreate;
            failureRate = from.failureRate;
            unknownStatusRate = from.unknownStatusRate;
            concurrencyCapPerKey = from.concurrencyCapPerKey;
            retryAfter = from.retryAfter;
            retryAfterFormat = from.retryAfterFormat;
            tokenBalance = from.tokenBalance;
            refundFailed = from.refundFailed;
            honourIdempotencyKey = from.honourIdempotencyKey;
            dialect = from.dialect;
        }

        public Builder serverErrorRate(double rate) {
            serverErrorRate = rate;
            return this;
        }

        /** The share of POST server errors that come after creating and charging the generation. */
        public Builder serverErrorAfterCreateShare(double share) {
            serverErrorAfterCreateShare = share;
            return this;
        }

        /** Whether a 503 that created nothing says when to come back ({@code Retry-After}). */
        public Builder retryAfterOn503(boolean carries) {
            retryAfterOn503 = carries;
            return this;
        }

        /** Probability that a status read answers 200 with an HTML page. */
        public Builder garbledStatusRate(double rate) {
            garbledStatusRate = rate;
            return this;
        }

        public Builder unansweredRate(double rate) {
            unansweredRate = rate;
            return this;
        }

        public Builder dropBeforeCreate(boolean drop) {
            dropBeforeCreate = drop;
            return this;
        }

        public Builder failureRate(double rate) {
            failureRate = rate;
            return this;
        }

        public Builder unknownStatusRate(double rate) {
            unknownStatusRate = rate;
            return this;
        }

        public Builder concurrencyCapPerKey(int cap) {
            concurrencyCapPerKey = cap;
            return this;
        }

        public Builder retryAfter(Duration delay) {
            retryAfter = delay;
            return this;
        }

        public Builder retryAfterFormat(RetryAfterFormat format) {
            retryAfterFormat = format;
            return this;
        }

        /** The account's credit; null = unlimited. */
        public Builder tokenBalance(Tokens balance) {
            tokenBalance = balance;
            return this;
        }

        public Builder refundFailed(boolean refund) {
            refundFailed = refund;
            return this;
        }

        public Builder honourIdempotencyKey(boolean honour) {
            honourIdempotencyKey = honour;
            return this;
        }

        public Builder dialect(Dialect value) {
            dialect = value;
            return this;
        }

        public Faults build() {
            return new Faults(serverErrorRate, serverErrorAfterCreateShare, retryAfterOn503, unansweredRate,
                    dropBeforeCreate, failureRate, unknownStatusRate, garbledStatusRate, concurrencyCapPerKey, retryAfter, retryAfterFormat, tokenBalance, refundFailed,
                    honourIdempotencyKey, dialect);
        }
    }
}
