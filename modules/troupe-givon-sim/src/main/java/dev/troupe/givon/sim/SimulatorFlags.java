package dev.troupe.givon.sim;

import dev.troupe.model.Tokens;
import dev.troupe.model.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line flags of the standalone simulator ({@code --port 8089 --server-error-rate 0.05 ...}),
 * turned into a {@link SimulatorConfig}. Kept apart from {@code main} so that the CLI can reuse it.
 */
public final class SimulatorFlags {


    private SimulatorFlags() {
    }

    public static String usage() {
        return """
                Usage: givon-sim [flags]    (a Givon API simulator; runs until killed)
                  --host H                     interface to bind (default 127.0.0.1)
                  --port N                     port, 0 = any free one (default 8089)
                  --api-key K                  accepted API key, repeatable (default sim-key)
                  --forbidden-key K            key answered with 403, repeatable
                  --generation-time MIN,MEDIAN,MAX | T
                                               simulated generation time, log-normal (default 30s,90s,180s)
                  --time-compression X         simulated seconds per real second, >= 1 (default 1000)
                  --server-error-rate P        probability of a 500/502/503 on POST or GET (default 0)
                  --server-error-after-create-share S
                                               share of POST 5xx that come after creating and charging (default 0)
                  --retry-after-on-503         a 503 that created nothing carries Retry-After
                  --unanswered-rate P          probability a POST is never answered (default 0)
                  --drop-before-create         unanswered POSTs create nothing (default: they create and charge)
                  --failure-rate P             probability a generation ends failed (default 0)
                  --unknown-status-rate P      probability a running GET shows an undocumented status (default 0)
                  --garbled-status-rate P      probability a status GET answers 200 with an HTML page (default 0)
                  --concurrency-cap N          active generations per key before 429, 0 = none (default 0)
                  --retry-after D              Retry-After of a 429 (default 1s)
                  --retry-after-format F       seconds | http-date (default seconds)
                  --token-balance T            account credit in tokens, e.g. 5000 or 52.5 (default unlimited)
                  --refund-failed              failed generations give their tokens back
                  --honour-idempotency-key     a repeated Idempotency-Key returns the existing generation
                  --dialect D                  standard | mixed (default standard)
                  --seed N                     seed of all randomness (default 42)
                  --help                       print this and exit
                Durations: 250ms, 90s, 2m, 1h, 1d or ISO-8601 (PT90S).""";
    }

    /**
     * Parses flags ({@code --name value} or {@code --name=value}).
     *
     * @return the configuration, or empty when {@code --help} was asked for
     * @throws IllegalArgumentException naming the flag that is unknown, incomplete or invalid
     */
    public static Optional<SimulatorConfig> parse(String... args) {
        SimulatorConfig.Builder config = SimulatorConfig.builder().port(8089);
        Set<String> apiKeys = new LinkedHashSet<>();
        Set<String> forbiddenKeys = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(List.of(args));
        while (!queue.isEmpty()) {
            String arg = queue.remove(0);
            String name = arg;
            String inline = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inline = arg.substring(equals + 1);
            }
            try {
                switch (name) {
                    case "--help", "-h" -> {
                        return Optional.empty();
                    }
                    case "--drop-before-create" -> config.dropBeforeCreate(true);
                    case "--refund-failed" -> config.refundFailed(true);
                    case "--retry-after-on-503" -> config.retryAfterOn503(true);
                    case "--honour-idempotency-key", "--honor-idempotency-key" -> config.honourIdempotencyKey(true);
                    default -> {
                        String value = inline != null ? inline : takeValue(name, queue);
                        apply(config, name, value, apiKeys, forbiddenKeys);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw e.getMessage() != null && e.getMessage().startsWith(name)
                        ? e
                        : new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
        if (!apiKeys.isEmpty()) {
            config.apiKeys(apiKeys);
        }
        config.forbiddenKeys(forbiddenKeys);
        return Optional.of(config.build());
    }

    private static String takeValue(String name, List<String> queue) {
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException(name + ": unexpected argument (see --help)");
        }
        if (queue.isEmpty() || queue.get(0).startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return queue.remove(0);
    }

    private static void apply(SimulatorConfig.Builder config, String name, String value, Set<String> apiKeys,
            Set<String> forbiddenKeys) {
        switch (name) {
            case "--host" -> config.host(value);
            case "--port" -> config.port(Integer.parseInt(value));
            case "--api-key" -> apiKeys.add(value);
            case "--forbidden-key" -> forbiddenKeys.add(value);
            case "--generation-time" -> config.generationTime(generationTime(value));
            case "--time-compression" -> config.timeCompression(Double.parseDouble(value));
            case "--server-error-rate" -> config.serverErrorRate(Double.parseDouble(value));
            case "--server-error-after-create-share" -> config.serverErrorAfterCreateShare(Double.parseDouble(value));
            case "--garbled-status-rate" -> config.garbledStatusRate(Double.parseDouble(value));
            case "--unanswered-rate" -> config.unansweredRate(Double.parseDouble(value));
            case "--failure-rate" -> config.failureRate(Double.parseDouble(value));
            case "--unknown-status-rate" -> config.unknownStatusRate(Double.parseDouble(value));
            case "--concurrency-cap" -> config.concurrencyCapPerKey(Integer.parseInt(value));
            case "--retry-after" -> config.retryAfter(duration(value));
            case "--retry-after-format" -> config.retryAfterFormat(choice(RetryAfterFormat.class, value));
            case "--token-balance" -> config.tokenBalance(Tokens.parse(value));
            case "--dialect" -> config.dialect(choice(Dialect.class, value));
            case "--seed" -> config.seed(Long.parseLong(value));
            default -> throw new IllegalArgumentException(name + ": unknown flag (see --help)");
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value) {
        String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", names) + ", got " + value);
    }

    private static GenerationTime generationTime(String value) {
        String[] parts = value.split(",");
        return switch (parts.length) {
            case 1 -> GenerationTime.fixed(duration(parts[0]));
            case 3 -> new GenerationTime(duration(parts[0]), duration(parts[1]), duration(parts[2]));
            default -> throw new IllegalArgumentException("expected MIN,MEDIAN,MAX or one fixed time, got " + value);
        };
    }

    static Duration duration(String value) {
        return DurationText.parse(value);
    }
}
