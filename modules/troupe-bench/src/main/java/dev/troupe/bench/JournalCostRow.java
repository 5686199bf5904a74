package dev.troupe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Troupe at one (C, L) in each of the journal cost's setups ({@link JournalCostProbe.Variant}): the
 * windows (round i holds one window of every variant, in an order that rotates from round to round),
 * and their medians and ranges.
 */
record JournalCostRow(int concurrency, Latency latency, List<Window> windows) {

    /**
     * One measurement.
     *
     * @param order its place in the run's sequence of journal cost windows, from 1
     * @param round the round it belongs to, from 1: the windows of one round are compared with each other
     */
    record Window(int order, int round, JournalCostProbe.Variant variant, ThroughputSample sample) {}

    List<ThroughputSample> of(JournalCostProbe.Variant variant) {
        return windows.stream().filter(w -> w.variant() == variant).map(Window::sample).toList();
    }

    Spread jobsPerSecond(JournalCostProbe.Variant variant) {
        return spread(variant, ThroughputSample::jobsPerSecond);
    }

    Spread workerCpuPerThousand(JournalCostProbe.Variant variant) {
        return spread(variant, ThroughputSample::subjectCpuSecondsPerThousand);
    }

    Spread benchCpuPerThousand(JournalCostProbe.Variant variant) {
        return spread(variant, ThroughputSample::benchCpuSecondsPerThousand);
    }

    Spread firstResultMillis(JournalCostProbe.Variant variant) {
        return spread(variant, s -> s.ok() ? s.firstResultMillis() : Double.NaN);
    }

    Spread competingCores(JournalCostProbe.Variant variant) {
        return spread(variant, s -> s.ok() ? s.cpu().competingCores() : Double.NaN);
    }

    /**
     * The figure of each round's {@code numerator} window divided by the same round's {@code denominator}
     * window: drift of the machine between rounds cancels out.
     */
    Spread roundRatio(ToDoubleFunction<ThroughputSample> figure, JournalCostProbe.Variant numerator,
                      JournalCostProbe.Variant denominator) {
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

    private Map<Integer, ThroughputSample> byRound(JournalCostProbe.Variant variant) {
        Map<Integer, ThroughputSample> rounds = new LinkedHashMap<>();
        windows.stream().filter(w -> w.variant() == variant).forEach(w -> rounds.put(w.round(), w.sample()));
        return rounds;
    }

    /** The worker's producers (by {@link ProducerMetrics} name) seen in the windows of a variant. */
    List<String> producers(JournalCostProbe.Variant variant) {
        TreeSet<String> names = new TreeSet<>();
        of(variant).forEach(s -> names.addAll(s.producers().keySet()));
        return List.copyOf(names);
    }

    /** One producer metric over the windows of a variant. */
    Spread producerMetric(JournalCostProbe.Variant variant, String producer, String attribute) {
        return spread(variant, s -> s.producers().getOrDefault(producer, Map.of()).getOrDefault(attribute, Double.NaN));
    }

    /**
     * Median CPU seconds per 1,000 jobs of each group of the worker's threads, one figure per variant
     * (in {@link JournalCostProbe.Variant} order), largest in the last variant first.
     */
    Map<String, double[]> workerCpuByGroup() {
        TreeSet<String> groups = new TreeSet<>();
        for (Window w : windows) {
            groups.addAll(w.sample().subjectCpu().byGroup().keySet());
        }
        JournalCostProbe.Variant[] variants = JournalCostProbe.Variant.values();
        List<Map.Entry<String, double[]>> entries = new ArrayList<>();
        for (String group : groups) {
            double[] medians = new double[variants.length];
            for (int i = 0; i < variants.length; i++) {
                medians[i] = groupMedian(of(variants[i]), group);
            }
            entries.add(Map.entry(group, medians));
        }
        int last = variants.length - 1;
        entries.sort((a, b) -> Double.compare(b.getValue()[last], a.getValue()[last]));
        Map<String, double[]> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    private Spread spread(JournalCostProbe.Variant variant, ToDoubleFunction<ThroughputSample> figure) {
        return Spread.of(of(variant).stream().mapToDouble(figure).toArray());
    }

    private static double groupMedian(List<ThroughputSample> samples, String group) {
        return Spread.of(samples.stream().filter(s -> s.ok() && s.jobs() > 0)
                .mapToDouble(s -> s.subjectCpu().byGroup().getOrDefault(group, 0.0) * 1000 / s.jobs()).toArray()).median();
    }
}
