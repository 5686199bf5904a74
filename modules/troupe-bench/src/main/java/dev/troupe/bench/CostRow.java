package dev.troupe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Troupe at one (C, L) in each setup of a cost comparison ({@link CostRounds}: the journal cost's
 * {@link JournalCostProbe.Variant}, the budget cost's {@link BudgetCostProbe.Setup}): the windows
 * (round i holds one window of every setup, in an order that rotates from round to round), and their
 * medians and ranges.
 *
 * @param setups every setup compared, in the order the tables list them
 */
record CostRow(int concurrency, Latency latency, List<? extends CostSetup> setups, List<Window> windows) {

    CostRow {
        setups = List.copyOf(setups);
        windows = List.copyOf(windows);
    }

    /**
     * One measurement.
     *
     * @param order its place in the run's sequence of journal cost windows, from 1
     * @param round the round it belongs to, from 1: the windows of one round are compared with each other
     * @param name  the measurement's name (its topics and group carry it)
     */
    record Window(int order, int round, CostSetup variant, String name, ThroughputSample sample) {}

    List<ThroughputSample> of(CostSetup variant) {
        return windows.stream().filter(w -> w.variant() == variant).map(Window::sample).toList();
    }

    Spread jobsPerSecond(CostSetup variant) {
        return spread(variant, ThroughputSample::jobsPerSecond);
    }

    Spread workerCpuPerThousand(CostSetup variant) {
        return spread(variant, ThroughputSample::subjectCpuSecondsPerThousand);
    }

    Spread benchCpuPerThousand(CostSetup variant) {
        return spread(variant, ThroughputSample::benchCpuSecondsPerThousand);
    }

    Spread firstResultMillis(CostSetup variant) {
        return spread(variant, s -> s.ok() ? s.firstResultMillis() : Double.NaN);
    }

    Spread competingCores(CostSetup variant) {
        return spread(variant, s -> s.ok() ? s.cpu().competingCores() : Double.NaN);
    }

    /**
     * The figure of each round's {@code numerator} window divided by the same round's {@code denominator}
     * window: drift of the machine between rounds cancels out.
     */
    Spread roundRatio(ToDoubleFunction<ThroughputSample> figure, CostSetup numerator,
                      CostSetup denominator) {
        Map<Integer, ThroughputSample> top = byRound(numerator);
        Map<Integer, ThroughputSample> bottom = byRound(denominator);
        List<Double> ratios = new ArrayList<>();
        top.forEach((round, sample) -> {
            ThroughputSample other = bottom.get(round);
            if (other != null) {
                ratios.add(figure.applyAsDouble(sample) / figure.applyAsDouble(other));
            }
        });
        return Spread.of(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private Map<Integer, ThroughputSample> byRound(CostSetup variant) {
        Map<Integer, ThroughputSample> rounds = new LinkedHashMap<>();
        windows.stream().filter(w -> w.variant() == variant).forEach(w -> rounds.put(w.round(), w.sample()));
        return rounds;
    }

    /** The worker's producers (by {@link ProducerMetrics} name) seen in the windows of a variant. */
    List<String> producers(CostSetup variant) {
        TreeSet<String> names = new TreeSet<>();
        of(variant).forEach(s -> names.addAll(s.producers().keySet()));
        return List.copyOf(names);
    }

    /** One producer metric over the windows of a variant. */
    Spread producerMetric(CostSetup variant, String producer, String attribute) {
        return spread(variant, s -> s.producers().getOrDefault(producer, Map.of()).getOrDefault(attribute, Double.NaN));
    }

    /**
     * Median CPU seconds per 1,000 jobs of each group of the worker's threads, one figure per setup
     * (in {@link #setups()} order), largest in the last setup first.
     */
    Map<String, double[]> workerCpuByGroup() {
        TreeSet<String> groups = new TreeSet<>();
        for (Window w : windows) {
            groups.addAll(w.sample().subjectCpu().byGroup().keySet());
        }
        List<Map.Entry<String, double[]>> entries = new ArrayList<>();
        for (String group : groups) {
            double[] medians = new double[setups.size()];
            for (int i = 0; i < setups.size(); i++) {
                medians[i] = groupMedian(of(setups.get(i)), group);
            }
            entries.add(Map.entry(group, medians));
        }
        int last = setups.size() - 1;
        entries.sort((a, b) -> Double.compare(b.getValue()[last], a.getValue()[last]));
        Map<String, double[]> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    private Spread spread(CostSetup variant, ToDoubleFunction<ThroughputSample> figure) {
        return Spread.of(of(variant).stream().mapToDouble(figure).toArray());
    }

    private static double groupMedian(List<ThroughputSample> samples, String group) {
        return Spread.of(samples.stream().filter(s -> s.ok() && s.jobs() > 0)
                .mapToDouble(s -> s.subjectCpu().byGroup().getOrDefault(group, 0.0) * 1000 / s.jobs()).toArray()).median();
    }
}
