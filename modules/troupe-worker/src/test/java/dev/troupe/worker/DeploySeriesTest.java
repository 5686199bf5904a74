package dev.troupe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every series the alert rules ({@code deploy/prometheus/*.yml}) and the dashboards
 * ({@code deploy/grafana/**}{@code /*.json}) query is served by a live worker, so a renamed meter
 * cannot leave a rule that never fires or a panel that stays empty.
 */
class DeploySeriesTest extends WorkerTestSupport {

    @Test
    void aQuerysSeriesAreItsSelectorsNotItsFunctionsLabelsDurationsOrVariables() {
        assertThat(names("histogram_quantile(0.95, sum by (le, outcome) (rate(troupe_job_latency_seconds_bucket{tenant=~\"$tenant\"}"
                + "[$__rate_interval])))")).containsExactly("troupe_job_latency_seconds_bucket");
        assertThat(names("sum(rate(troupe_givon_exchanges_total{class=\"429\"}[5m])) by (kind) / on(kind) group_left"
                + " sum(rate(troupe_givon_exchanges_total[5m] offset 1h)) > 0.1 and troupe_worker_ready == bool 0"))
                .containsExactly("troupe_givon_exchanges_total", "troupe_worker_ready");
        assertThat(names("max_over_time(kafka_consumer_fetch_manager_records_lag[10m:1m]) > 1e3 unless {__name__=\"up\"}"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag", "up");
    }

    /** Series Prometheus makes itself for every target or rule, which no worker serves. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds",
            "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "inf", "nan", "Inf", "NaN");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$",
            Pattern.DOTALL);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySeriesTheRulesAndDashboardsQueryIsServedByAWorker() throws Exception {
        Path deploy = Path.of("").toAbsolutePath().resolve("../../deploy").normalize();
        Map<String, List<String>> queried = new TreeMap<>(); // series name -> where it is queried
        Set<String> recorded = new TreeSet<>();
        for (Path rules : files(deploy.resolve("prometheus"), ".yml", ".yaml")) {
            JsonNode groups = YAML.readTree(rules.toFile()).path("groups");
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.hasNonNull("record")) {
                        recorded.add(rule.get("record").asText());
                    }
                    String where = deploy.relativize(rules) + " " + (rule.hasNonNull("alert") ? "alert " + rule.get("alert").asText()
                            : "record " + rule.path("record").asText());
                    names(rule.path("expr").asText()).forEach(name -> queried.computeIfAbsent(name, n -> new ArrayList<>()).add(where));
                }
            }
        }
        for (Path dashboard : files(deploy.resolve("grafana"), ".json")) {
            List<String> expressions = new ArrayList<>();
            collect(JSON.readTree(dashboard.toFile()), expressions);
            String where = deploy.relativize(dashboard).toString();
            for (String expression : expressions) {
                names(expression).forEach(name -> queried.computeIfAbsent(name, n -> new ArrayList<>()).add(where));
            }
        }
        queried.keySet().removeAll(recorded); // defined by a recording rule, whose own expression is checked
        queried.keySet().removeAll(PROMETHEUS_OWN);
        assertThat(queried).as("series queried by " + deploy + "/prometheus and /grafana").isNotEmpty();

        try (WorkerTestBed bed = bed(sim -> {})) {
            Worker worker = bed.startWorker(ObservedWorker.config(bed).build());
            for (int i = 0; i < 3; i++) {
                bed.produce("deploy-" + i, Jobs.valid("deploy-" + i, i % 2 == 0 ? ObservedWorker.LIMITED : null));
            }
            bed.flush();
            // Some series appear once their event has happened: a partition's lag after its first fetch (bound
            // within ClientMeters.KAFKA_REFRESH), a GC pause after the binder saw one.
            System.gc();
            List<String> missing = new ArrayList<>();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Set<String> served = served(Scrape.of(worker));
                    missing.clear();
                    queried.forEach((name, where) -> {
                        if (!served.contains(name)) {
                            missing.add(name + " (queried in " + String.join(", ", new TreeSet<>(where)) + ")");
                        }
                    });
                    return missing.isEmpty();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("series that the rules or dashboards query and no worker serves:\n  "
                        + String.join("\n  ", missing), e);
            }
        }
    }

    /** Series names and metric family names of a scrape: a histogram's _bucket, _sum and _count, and the histogram. */
    private static Set<String> served(Scrape scrape) {
        Set<String> names = new TreeSet<>(scrape.seriesNames());
        names.addAll(scrape.types.keySet());
        return names;
    }

    private static List<Path> files(Path folder, String... endings) throws IOException {
        assertThat(Files.isDirectory(folder)).as(folder + " must exist: this test checks what deploy/prometheus (rules) and"
                + " deploy/grafana (dashboards) query against a live worker; both come with the deploy branch").isTrue();
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> found = walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(endings).anyMatch(p.getFileName().toString()::endsWith)).sorted().toList();
            assertThat(found).as("files ending " + List.of(endings) + " under " + folder).isNotEmpty();
            return found;
        }
    }

    /** Every query of a dashboard: targets' {@code expr}, anywhere, and the templating variables' queries. */
    private static void collect(JsonNode node, List<String> expressions) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (field.getKey().equals("expr") && value.isTextual()) {
                    expressions.add(value.asText());
                } else if (field.getKey().equals("templating")) {
                    for (JsonNode variable : value.path("list")) {
                        JsonNode query = variable.path("query");
                        String text = query.isTextual() ? query.asText() : query.path("query").asText("");
                        if ("query".equals(variable.path("type").asText()) && !text.isBlank()) {
                            Matcher labelValues = LABEL_VALUES.matcher(text);
                            // label_values(label) alone queries no series; label_values(expr, label) queries expr.
                            expressions.add(labelValues.matches() ? labelValues.group(1) : text.contains("label_values(") ? "" : text);
                        }
                    }
                } else {
                    collect(value, expressions);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, expressions));
        }
    }

    /** The series names a PromQL expression selects (Grafana's variables taken out). */
    static Set<String> names(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher byName = NAME_MATCHER.matcher(promql);
        while (byName.find()) {
            names.add(byName.group(1));
        }
        String text = promql
                .replaceAll("\\$\\{[^}]*}", "x1")       // ${var}
                .replaceAll("\\[\\[[^]]*]]", "x1")       // [[var]]
                .replaceAll("\\$[A-Za-z_][A-Za-z0-9_]*", "1") // $var, $__rate_interval
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("`[^`]*`", "``")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            int after = identifier.end();
            while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
                after++;
            }
            boolean function = after < text.length() && text.charAt(after) == '(';
            boolean partOfNumber = identifier.start() > 0 && Character.isDigit(text.charAt(identifier.start() - 1));
            if (!function && !partOfNumber && !KEYWORDS.contains(name) && !name.equals("x1")) {
                names.add(name);
            }
        }
        return names;
    }
}
