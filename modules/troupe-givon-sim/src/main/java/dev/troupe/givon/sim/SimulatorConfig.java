package dev.troupe.givon.sim;

import dev.troupe.model.ModelCatalog;
import dev.troupe.model.Tokens;
import dev.troupe.model.ValidationLimits;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link GivonSimulator} is started with. Build with {@link #builder()}; every field
 * has a default and the constructor rejects bad values naming the field.
 *
 * @param host             interface to bind (default 127.0.0.1)
 * @param port             TCP port; 0 picks a free one
 * @param apiKeys          keys that may use the API (default {@code sim-key}); others get 401
 * @param forbiddenKeys    known keys without access: 403
 * @param generationTime   how long a generation takes, in simulated time
 * @param timeCompression  simulated seconds per real second (>= 1): at 1000 a 90 s generation takes 90 ms
 * @param faults           the initial fault profile (changeable at run time)
 * @param seed             the one seed all randomness derives from
 * @param catalog          the models accepted, with their schemas and prices
 * @param validationLimits size limits for inputs
 */
public record SimulatorConfig(
        String host,
        int port,
        Set<String> apiKeys,
        Set<String> forbiddenKeys,
        GenerationTime generationTime,
        double timeCompression,
        Faults faults,
        long seed,
        ModelCatalog catalog,
        ValidationLimits validationLimits) {

    public static final String DEFAULT_API_KEY = "sim-key";

    public SimulatorConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be set");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535 (0 = any free port), got " + port);
        }
        apiKeys = copyKeys("apiKeys", apiKeys);
        forbiddenKeys = copyKeys("forbiddenKeys", forbiddenKeys);
        if (apiKeys.isEmpty()) {
            throw new IllegalArgumentException("apiKeys must hold at least one key");
        }
        if (apiKeys.stream().anyMatch(forbiddenKeys::contains)) {
            throw new IllegalArgumentException("forbiddenKeys must not repeat a key of apiKeys");
        }
        Objects.requireNonNull(generationTime, "generationTime must be set");
        if (!(timeCompression >= 1.0) || Double.isInfinite(timeCompression)) {
            throw new IllegalArgumentException("timeCompression must be a finite number >= 1, got " + timeCompression);
        }
        Objects.requireNonNull(faults, "faults must be set");
        Objects.requireNonNull(catalog, "catalog must be set");
        Objects.requireNonNull(validationLimits, "validationLimits must be set");
    }

    private static Set<String> copyKeys(String field, Set<String> keys) {
        Objects.requireNonNull(keys, field + " must be set");
        for (String key : keys) {
            if (key == null || key.isBlank() || key.chars().anyMatch(Character::isWhitespace)) {
                // The key itself stays out of the message: it is a secret.
                throw new IllegalArgumentException(field + " must hold non-blank keys without spaces");
            }
        }
        return Set.copyOf(keys);
    }

    /** The defaults: 127.0.0.1, a free port, key {@code sim-key}, 30/90/180 s at x1000, no faults. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Keys are secrets even in a simulator: show how many, not which. */
    @Override
    public String toString() {
        return "SimulatorConfig[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + " key(s)"
                + ", forbiddenKeys=" + forbiddenKeys.size() + " key(s), generationTime=" + generationTime
                + ", timeCompression=" + timeCompression + ", faults=" + faults + ", seed=" + seed
                + ", validationLimits=" + validationLimits + "]";
    }

    /** Mutable builder; fault settings are also settable flat, as a convenience. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Set<String> apiKeys = Set.of(DEFAULT_API_KEY);
        private Set<String> forbiddenKeys = Set.of();
        private GenerationTime generationTime = GenerationTime.DEFAULT;
        private double timeCompression = 1000;
        private Faults.Builder faults = Faults.builder();
        private long seed = 42;
        private ModelCatalog catalog;
        private ValidationLimits validationLimits = ValidationLimits.DEFAULTS;

        Builder() {
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder apiKeys(String... keys) {
            return apiKeys(new LinkedHashSet<>(Arrays.asList(keys)));
        }

        public Builder apiKeys(Set<String> keys) {
            apiKeys = keys;
            return this;
        }

        public Builder forbiddenKeys(String... keys) {
            return forbiddenKeys(new LinkedHashSet<>(Arrays.asList(keys)));
        }

        public Builder forbiddenKeys(Set<String> keys) {
            forbiddenKeys = keys;
            return this;
        }

        public Builder generationTime(GenerationTime value) {
            generationTime = value;
            return this;
        }

        public Builder generationTime(Duration min, Duration median, Duration max) {
            return generationTime(new GenerationTime(min, median, max));
        }

        public Builder fixedGenerationTime(Duration time) {
            return generationTime(GenerationTime.fixed(time));
        }

        public Builder timeCompression(double factor) {
            timeCompression = factor;
            return this;
        }

        public Builder serverErrorRate(double rate) {
            faults.serverErrorRate(rate);
            return this;
        }

        public Builder serverErrorAfterCreateShare(double share) {
            faults.serverErrorAfterCreateShare(share);
            return this;
        }

        public Builder retryAfterOn503(boolean carries) {
            faults.retryAfterOn503(carries);
            return this;
        }

        public Builder garbledStatusRate(double rate) {
            faults.garbledStatusRate(rate);
            return this;
        }

        public Builder unansweredRate(double rate) {
            faults.unansweredRate(rate);
            return this;
        }

        public Builder dropBeforeCreate(boolean drop) {
            faults.dropBeforeCreate(drop);
            return this;
        }

        public Builder failureRate(double rate) {
            faults.failureRate(rate);
            return this;
        }

        public Builder unknownStatusRate(double rate) {
            faults.unknownStatusRate(rate);
            return this;
        }

        public Builder concurrencyCapPerKey(int cap) {
            faults.concurrencyCapPerKey(cap);
            return this;
        }

        public Builder retryAfter(Duration delay) {
            faults.retryAfter(delay);
            return this;
        }

        public Builder retryAfterFormat(RetryAfterFormat format) {
            faults.retryAfterFormat(format);
            return this;
        }

        /** The account's credit; null = unlimited. */
        public Builder tokenBalance(Tokens balance) {
            faults.tokenBalance(balance);
            return this;
        }

        public Builder refundFailed(boolean refund) {
            faults.refundFailed(refund);
            return this;
        }

        public Builder honourIdempotencyKey(boolean honour) {
            faults.honourIdempotencyKey(honour);
            return this;
        }

        public Builder dialect(Dialect value) {
            faults.dialect(value);
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder catalog(ModelCatalog value) {
            catalog = value;
            return this;
        }

        public Builder validationLimits(ValidationLimits value) {
            validationLimits = value;
            return this;
        }

        public SimulatorConfig build() {
            ModelCatalog models = catalog != null ? catalog : ModelCatalog.builtIn();
            return new SimulatorConfig(host, port, apiKeys, forbiddenKeys, generationTime, timeCompression,
                    faults.build(), seed, models, validationLimits);
        }
    }
}
