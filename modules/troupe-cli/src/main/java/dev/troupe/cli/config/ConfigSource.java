package dev.troupe.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.troupe.model.ParseErrorText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration as flat dotted keys ({@code worker.concurrency}), read from the YAML file and
 * overridden by environment variables {@code TROUPE_<KEY>}: the key in capitals with {@code .} and
 * {@code -} written as {@code _} ({@code TROUPE_WORKER_CONCURRENCY}). Kafka client properties may be
 * set by any {@code TROUPE_KAFKA_<NAME>}: {@code kafka.} + the name in lower case with {@code _}
 * read as {@code .} ({@code TROUPE_KAFKA_SASL_JAAS_CONFIG} is {@code kafka.sasl.jaas.config}); the
 * reader checks their names and values against Kafka's own ({@link KafkaClientProperties}).
 */
final class ConfigSource {

    static final String ENV_PREFIX = "TROUPE_";
    static final String KAFKA_ENV_PREFIX = "TROUPE_KAFKA_";
    /** Variables the launcher and the CLI use for themselves, not configuration keys. */
    /** TROUPE_* variables that are not keys: the launcher's, and the dashboard's token (dashboard.token-env's default). */
    static final Set<String> RESERVED_ENV = Set.of("TROUPE_HOME", "TROUPE_CONFIG", "TROUPE_JAVA_OPTS", "TROUPE_DASHBOARD_TOKEN");

    private static final ObjectMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** A setting's text and where it came from. */
    record Value(String text, String origin) {

        boolean fromEnvironment() {
            return origin.startsWith(ENV_ORIGIN);
        }
    }

    private static final String ENV_ORIGIN = "environment variable ";

    private final Map<String, Value> fileValues;
    private final Map<String, String> environment;
    private final Set<String> usedEnvironment = new HashSet<>();

    private ConfigSource(Map<String, Value> fileValues, Map<String, String> environment) {
        this.fileValues = fileValues;
        this.environment = environment;
    }

    static ConfigSource of(String yaml, String origin, Map<String, String> environment) {
        Map<String, Value> values = new LinkedHashMap<>();
        if (yaml != null && !yaml.isBlank()) {
            JsonNode root;
            try {
                root = YAML.readTree(yaml);
            } catch (JsonProcessingException e) {
                String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr();
                throw new ConfigException("(file)", origin, "not valid YAML" + where + ": " + ParseErrorText.of(e));
            }
            if (root != null && !root.isNull() && !root.isMissingNode()) {
                if (!root.isObject()) {
                    throw new ConfigException("(file)", origin, "the file must hold a YAML mapping of keys");
                }
                List<ConfigProblem> problems = new ArrayList<>();
                flatten("", root, origin, values, problems);
                if (!problems.isEmpty()) {
                    throw new ConfigException(problems);
                }
            }
        }
        return new ConfigSource(values, Map.copyOf(environment));
    }

    private static void flatten(String prefix, JsonNode node, String origin, Map<String, Value> values, List<ConfigProblem> problems) {
        node.properties().forEach(field -> {
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key, value, origin, values, problems);
            } else if (value.isArray()) {
                problems.add(new ConfigProblem(key, origin, "lists are not used in this configuration"));
            } else if (!value.isNull()) {
                values.put(key, new Value(value.asText(), origin));
            }
        });
    }

    /** The environment variable that overrides a key. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key's value: its environment variable when set, else the file's. */
    Optional<Value> get(String key) {
        String env = envName(key);
        String fromEnv = environment.get(env);
        if (fromEnv != null) {
            usedEnvironment.add(env);
            return Optional.of(new Value(fromEnv, ENV_ORIGIN + env));
        }
        return Optional.ofNullable(fileValues.get(key));
    }

    /** Every file key, for the unknown-key check. */
    Set<String> fileKeys() {
        return fileValues.keySet();
    }

    /** Names directly below a prefix in the file, e.g. the tenants under {@code budget.tenants}. */
    Set<String> childrenInFile(String prefix) {
        Set<String> children = new LinkedHashSet<>();
        String start = prefix + ".";
        for (String key : fileValues.keySet()) {
            if (key.startsWith(start)) {
                String rest = key.substring(start.length());
                int dot = rest.indexOf('.');
                children.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return children;
    }

    /** Every {@code kafka.*} property: the file's, then any {@code TROUPE_KAFKA_*} variable. */
    Map<String, Value> kafkaProperties() {
        Map<String, Value> properties = new LinkedHashMap<>();
        fileValues.forEach((key, value) -> {
            if (key.startsWith("kafka.")) {
                properties.put(key.substring("kafka.".length()), value);
            }
        });
        environment.forEach((name, value) -> {
            if (name.startsWith(KAFKA_ENV_PREFIX) && name.length() > KAFKA_ENV_PREFIX.length()) {
                String property = name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                properties.put(property, new Value(value, ENV_ORIGIN + name));
                usedEnvironment.add(name);
            }
        });
        return properties;
    }

    /** {@code TROUPE_*} variables that named no key: probably typos, reported as warnings. */
    List<String> unusedEnvironment() {
        return environment.keySet().stream()
                .filter(name -> name.startsWith(ENV_PREFIX) && !RESERVED_ENV.contains(name) && !usedEnvironment.contains(name))
                .sorted()
                .toList();
    }
}
