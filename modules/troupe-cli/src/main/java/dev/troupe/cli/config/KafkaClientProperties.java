package dev.troupe.cli.config;

import dev.troupe.model.Texts;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code kafka.*} keys are the Kafka clients' own properties, passed to every producer, consumer and
 * admin client: their names, types and rules are Kafka's ({@link ConsumerConfig}, {@link ProducerConfig},
 * {@link AdminClientConfig}), so a name none of them defines is refused (a misspelt
 * {@code security.protocol} would otherwise connect in plaintext), and a value is parsed and validated by
 * each client's {@link ConfigDef} that defines it, at start instead of when the first client is created.
 */
final class KafkaClientProperties {

    private static final List<ConfigDef> CLIENTS = List.of(ConsumerConfig.configDef(), ProducerConfig.configDef(),
            AdminClientConfig.configDef());
    private static final Set<String> NAMES = names();
    /** Longest value quoted back; a value may be long, and a password is never quoted. */
    private static final int MAX_SHOWN = 80;

    private KafkaClientProperties() {
    }

    /**
     * Why Kafka would refuse the property, or empty when every client that defines it accepts the value.
     *
     * @param name  the property, without {@code kafka.}
     * @param envVariable whether it was set by a {@code TROUPE_KAFKA_*} variable (the suggestion is then a variable too)
     */
    static Optional<String> problem(String name, String value, boolean envVariable) {
        if (!NAMES.contains(name)) {
            return Optional.of("not a Kafka client property" + nearest(name)
                    .map(known -> "; did you mean kafka." + known
                            + (envVariable ? " (" + ConfigSource.envName("kafka." + known) + ")" : "") + "?")
                    .orElse(" (see the producer, consumer and admin client configs in Kafka's documentation)"));
        }
        for (ConfigDef client : CLIENTS) {
            ConfigDef.ConfigKey key = client.configKeys().get(name);
            if (key == null) {
                continue;
            }
            try {
                Object parsed = ConfigDef.parseType(name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (ConfigException e) {
                return Optional.of(refusal(key, value, e));
            }
        }
        return Optional.empty();
    }

    /** Kafka's reason without its own "Invalid value X for configuration Y" preamble, which may hold a secret. */
    private static String refusal(ConfigDef.ConfigKey key, String value, ConfigException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String preamble = "for configuration " + key.name;
        int at = message.indexOf(preamble);
        String reason = at < 0 ? "" : message.substring(at + preamble.length()).replaceFirst("^:\\s*", "");
        String shown = key.type == ConfigDef.Type.PASSWORD ? "(hidden)"
                : "'" + Texts.clip(value, MAX_SHOWN) + "'";
        String expected = reason.isBlank() ? "a " + key.type.name().toLowerCase(Locale.ROOT) : reason;
        return "Kafka refuses " + shown + ": " + expected;
    }

    /** The known name closest to a misspelt one, when it is close enough to be what was meant. */
    static Optional<String> nearest(String name) {
        int tolerance = Math.max(2, name.length() / 5);
        return NAMES.stream()
                .map(known -> new Candidate(known, distance(name, known)))
                .filter(candidate -> candidate.distance() <= tolerance)
                .min(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
                .map(Candidate::name);
    }

    private record Candidate(String name, int distance) {
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Set<String> names() {
        Set<String> names = new HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
