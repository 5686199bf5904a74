package dev.troupe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Troupe at one (C, L) with its journal on and off: the windows (on, off, on, off, ...; pair i is
 * {@code on().get(i)} and {@code off().get(i)}), and their medians and ranges.
 */
record JournalCostRow(int concurrency, Latency latency, List<Window> windows) {

    /**
     * One measurement.
     *
     * @param order its place in the run's sequence of journal cost windows, from 1
     */
    record Window(int order, boolean journal, ThroughputSample sample) {}

    List<ThroughputSample> on() {
        return windows.stream().filter(Window::journal).map(Window::sample).toList();
    }

    List<ThroughputSample> off() {
        return windows.stream().filter(w -> !w.journal()).map(Window::sample).toList();
    }

    Spread jobsPerSecond(boolean journal) {
        return spread(journal, ThroughputSample::jobsPerSecond);
    }

    Spread workerCpuPerThousand(boolean journal) {
        return spread(journal, ThroughputSample::subjectCpuSecondsPerThousand);
    }

    Spread benchCpuPerThousand(boolean journal) {
        return spread(journal, ThroughputSample::benchCpuSecondsPerThousand);
    }

    Spread firstResultMillis(boolean journal) {
        return spread(journal, s -> s.ok() ? s.firstResultMillis() : Double.NaN);
    }

    Spread competingCores(boolean journal) {
        return spread(journal, s -> s.ok() ? s.cpu().competingCores() : Double.NaN);
    }

    /** The figure of each pair's on window divided by its off window: drift between pairs cancels out. */
    Spread pairRatio(ToDoubleFunction<ThroughputSample> figure) {
        List<ThroughputSample> on = on();
        List<ThroughputSample> off = off();
        int pairs = Math.min(on.size(), off.size());
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            ratios[i] = figure.applyAsDouble(on.get(i)) / figure.applyAsDouble(off.get(i));
        }
        return Spread.of(ratios);
    }

    /** The worker's producers (by {@link ProducerMetrics} name) seen in the windows with the journal on or off. */
    List<String> producers(boolean journal) {
        TreeSet<String> names = new TreeSet<>();
        (journal ? on() : off()).forEach(s -> names.addAll(s.producers().keySet()));
        return List.copyOf(names);
    }

    /** One producer metric over the windows with the journal on or off. */
    Spread producerMetric(boolean journal, String producer, String attribute) {
        return spread(journal, s -> s.producers().getOrDefault(producer, Map.of()).getOrDefault(attribute, Double.NaN));
    }

    /** Median CPU seconds per 1,000 jobs of each group of the worker's threads, on and off, largest (on) first. */
    Map<String, double[]> workerCpuByGroup() {
        TreeSet<String> groups = new TreeSet<>();
        for (Window w : windows) {
            groups.addAll(w.sample().subjectCpu().byGroup().keySet());
        }
        List<Map.Entry<String, double[]>> entries = new ArrayList<>();
        for (String group : groups) {
            entries.add(Map.entry(group, new double[] {groupMedian(on(), group), groupMedian(off(), group)}));
        }
        entries.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
        Map<String, double[]> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    private Spread spread(boolean journal, ToDoubleFunction<ThroughputSample> figure) {
        return Spread.of((journal ? on() : off()).stream().mapToDouble(figure).toArray());
    }

    private static double groupMedian(List<ThroughputSample> samples, String group) {
        return Spread.of(samples.stream().filter(s -> s.ok() && s.jobs() > 0)
                .mapToDouble(s -> s.subjectCpu().byGroup().getOrDefault(group, 0.0) * 1000 / s.jobs()).toArray()).median();
    }
}
