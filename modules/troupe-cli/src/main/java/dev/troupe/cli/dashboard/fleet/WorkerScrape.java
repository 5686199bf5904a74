package dev.troupe.cli.dashboard.fleet;

import dev.troupe.model.Tokens;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one worker's {@code /metrics} said at the last probe. When {@code up} is false only
 * {@code endpoint} and {@code error} are set (the figures are null, the maps empty): the dashboard shows
 * nothing it did not read. A gauge the scrape lacks, or whose value is not a sane count (negative, NaN,
 * out of range), is null as well.
 *
 * @param answers   Givon exchanges by class ({@link WorkerMetricNames#ANSWER_CLASSES}, in that order), summed over kind;
 *                  a class the worker does not know yet counts as {@code other}
 * @param budgets   budget key -> figures, sorted by key
 * @param malformed lines of the scrape skipped as malformed
 */
public record WorkerScrape(String endpoint, boolean up, String error, Integer inFlight, Integer limit, Integer share, Integer max,
                           Boolean ready, Boolean circuitOpen, Boolean keyRefused, Map<String, Long> answers,
                           Map<String, BudgetFigures> budgets, int malformed) {

    /**
     * One budget as this worker sees it in its current window (tokens as exact decimals; limit, remaining
     * and window only for a limited budget).
     */
    public record BudgetFigures(boolean limited, Tokens spent, Tokens reserved, Tokens limit, Tokens remaining, Long windowSeconds) {
    }

    public WorkerScrape {
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        budgets = Collections.unmodifiableMap(new TreeMap<>(budgets));
    }

    /** A worker whose scrape failed, with why. */
    public static WorkerScrape down(String endpoint, String error) {
        return new WorkerScrape(endpoint, false, error, null, null, null, null, null, null, null, Map.of(), Map.of(), 0);
    }

    /** A worker's figures from its scrape. */
    public static WorkerScrape of(String endpoint, PrometheusText.Parsed scrape) {
        Integer inFlight = null;
        Integer limit = null;
        Integer share = null;
        Integer max = null;
        Boolean ready = null;
        Boolean circuitOpen = null;
        Boolean keyRefused = null;
        Map<String, Double> answers = new LinkedHashMap<>();
        WorkerMetricNames.ANSWER_CLASSES.forEach(c -> answers.put(c, 0.0));
        Map<String, BudgetSeries> budgets = new TreeMap<>();
        for (PrometheusText.Sample s : scrape.samples()) {
            WorkerMetricNames series = WorkerMetricNames.of(s.name());
            if (series == null) {
                continue;
            }
            switch (series) {
                case JOBS_IN_FLIGHT -> inFlight = first(inFlight, count(s.value()));
                case CONCURRENCY_LIMIT -> limit = first(limit, count(s.value()));
                case CONCURRENCY_SHARE -> share = first(share, count(s.value()));
                case CONCURRENCY_MAX -> max = first(max, count(s.value()));
                case WORKER_READY -> ready = first(ready, flag(s.value()));
                case GIVON_CIRCUIT_OPEN -> circuitOpen = first(circuitOpen, flag(s.value()));
                case GIVON_KEY_REFUSED -> keyRefused = first(keyRefused, flag(s.value()));
                case GIVON_EXCHANGES -> {
                    if (Double.isFinite(s.value()) && s.value() >= 0) {
                        String c = s.labels().getOrDefault(WorkerMetricNames.TAG_CLASS, "other");
                        answers.merge(answers.containsKey(c) ? c : "other", s.value(), Double::sum);
                    }
                }
                case BUDGET_TOKENS, BUDGET_LIMITED, BUDGET_WINDOW -> {
                    String tenant = s.labels().get(WorkerMetricNames.TAG_TENANT);
                    // A worker serves a few budget keys; a scrape naming thousands is not one to keep in full.
                    if (tenant != null && (budgets.containsKey(tenant) || budgets.size() < WorkerMetricNames.MAX_BUDGETS)) {
                        budgets.computeIfAbsent(tenant, t -> new BudgetSeries()).add(series, s);
                    }
                }
            }
        }
        Map<String, Long> answerCounts = new LinkedHashMap<>();
        answers.forEach((c, v) -> answerCounts.put(c, v >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(v)));
        Map<String, BudgetFigures> figures = new TreeMap<>();
        budgets.forEach((tenant, series) -> figures.put(tenant, series.figures()));
        return new WorkerScrape(endpoint, true, null, inFlight, limit, share, max, ready, circuitOpen, keyRefused, answerCounts,
                figures, scrape.malformed());
    }

    /** The contract's worker entry of {@code /api/fleet} (plus {@code max}). */
    public JsonObject toJson() {
        JsonObject answersJson = new JsonObject();
        answers.forEach(answersJson::put);
        return new JsonObject()
                .put("endpoint", endpoint)
                .put("up", up)
                .put("error", error)
                .put("inFlight", inFlight)
                .put("limit", limit)
                .put("share", share)
                .put("max", max)
                .put("ready", ready)
                .put("circuitOpen", circuitOpen)
                .put("keyRefused", keyRefused)
                .put("answers", up ? answersJson : null);
    }

    private static <T> T first(T seen, T value) {
        return seen != null ? seen : value;
    }

    /** A gauge holding a count: a finite whole number in int range, else null. */
    static Integer count(double value) {
        if (!Double.isFinite(value) || value < 0 || value > Integer.MAX_VALUE || value != Math.rint(value)) {
            return null;
        }
        return (int) value;
    }

    static Boolean flag(double value) {
        if (value == 0) {
            return false;
        }
        return value == 1 ? Boolean.TRUE : null;
    }

    /** A gauge of tokens: exact to the milli-token the worker counts in, else null. */
    static Tokens tokens(double value) {
        if (!Double.isFinite(value) || Math.abs(value) > 1e15) {
            return null;
        }
        return Tokens.ofMilli(Math.round(value * 1000));
    }

    /** The budget series of one tenant, as they come. */
    private static final class BudgetSeries {
        private Boolean limited;
        private final Map<String, Tokens> tokens = new LinkedHashMap<>();
        private Long windowSeconds;

        void add(WorkerMetricNames series, PrometheusText.Sample s) {
            if (series == WorkerMetricNames.BUDGET_LIMITED) {
                limited = limited != null ? limited : flag(s.value());
            } else if (series == WorkerMetricNames.BUDGET_WINDOW) {
                if (windowSeconds == null && Double.isFinite(s.value()) && s.value() > 0 && s.value() < 1e12) {
                    windowSeconds = Math.round(s.value());
                }
            } else {
                String state = s.labels().get(WorkerMetricNames.TAG_STATE);
                Tokens amount = tokens(s.value());
                if (state != null && amount != null && WorkerMetricNames.BUDGET_STATES.contains(state)) {
                    tokens.putIfAbsent(state, amount);
                }
            }
        }

        BudgetFigures figures() {
            return new BudgetFigures(Boolean.TRUE.equals(limited), tokens.get("spent"), tokens.get("reserved"), tokens.get("limit"),
                    tokens.get("remaining"), windowSeconds);
        }
    }
}
