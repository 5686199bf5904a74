package dev.troupe.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Worker setups compared in one run ({@link CostSetup}: the journal cost's, the budget cost's): the
 * throughput probe's windows of every setup, alternating in rounds, so that all of them see the same
 * machine, broker and JIT. First unreported warm-up rounds until the JIT has settled; then, per
 * round, one window of every setup at every L, the setups' order rotating from round to round.
 */
final class CostRounds {

    /**
     * @param pairs           rounds per latency: each holds one window of every setup (the option is still --pairs)
     * @param jitWarmup       each warm-up window: every setup at every L, unreported, so that every path is compiled
     * @param maxWarmupRounds warm-up rounds at most, while the JIT has not settled ({@link #JIT_SETTLED})
     */
    record Plan(int concurrency, List<Long> latenciesMillis, int pairs, Duration jitWarmup, int maxWarmupRounds,
                ThroughputProbe.Window window) {}

    /** A ratio the tables give, round by round: numerator ÷ denominator. */
    record Ratio(CostSetup numerator, CostSetup denominator, String json, String why) {

        String title() {
            return numerator.letter() + " ÷ " + denominator.letter();
        }
    }

    /** One window of a setup: how the probe measures it (the setup applied, the jobs it is fed, ...). */
    @FunctionalInterface
    interface Measurement {
        ThroughputSample measure(String name, CostSetup setup, Latency latency, ThroughputProbe.Window window);
    }

    /**
     * What the rounds measured.
     *
     * @param warmupJitShares per warm-up round, the share of its windows' time the JIT spent compiling
     * @param rows            one per L, in the plan's order
     */
    record Measured(List<Double> warmupJitShares, List<CostRow> rows) {}

    /**
     * The JIT has settled once it compiles for at most this share of a warm-up round (summed over its
     * compiler threads). On this 2-core machine it compiled for about the whole window for the first
     * three minutes of load, and the pairs measured meanwhile drifted up by 2x.
     */
    static final double JIT_SETTLED = 0.25;

    private final Progress progress;
    /** "journal cost": how progress lines begin. */
    private final String what;
    /** "jcost": how the windows' names (their topics, their group) begin. */
    private final String prefix;

    CostRounds(Progress progress, String what, String prefix) {
        this.progress = progress;
        this.what = what;
        this.prefix = prefix;
    }

    Measured measure(Plan plan, List<? extends CostSetup> setups, List<Ratio> ratios, Measurement measurement) {
        Duration d = plan.jitWarmup();
        ThroughputProbe.Window warm = new ThroughputProbe.Window(Duration.ZERO, Long.MAX_VALUE, d, d, d);
        String letters = setups.stream().map(CostSetup::letter).collect(Collectors.joining(", "));
        List<Double> shares = new ArrayList<>();
        for (int round = 1; round <= plan.maxWarmupRounds(); round++) {
            progress.say("%s: JIT warm-up round %d (at most %d): %d s for each L and setup %s (not reported)",
                    what, round, plan.maxWarmupRounds(), d.toSeconds(), letters);
            double compiling = 0;
            double seconds = 0;
            for (long millis : plan.latenciesMillis()) {
                for (CostSetup setup : setups) {
                    ThroughputSample s = measurement.measure(prefix + "-warmup-" + setup.letter() + "-l" + millis + "-r" + round,
                            setup, Latency.ofMillis(millis), warm);
                    compiling += s.ok() && s.jitSeconds() >= 0 ? s.jitSeconds() : d.toSeconds();
                    seconds += s.ok() ? s.windowSeconds() : d.toSeconds();
                }
            }
            shares.add(compiling / seconds);
            progress.say("%s: in warm-up round %d the JIT compiled for %.0f%% of the time", what, round, 100 * compiling / seconds);
            if (compiling / seconds <= JIT_SETTLED) {
                break;
            }
        }
        // Rounds: each holds one window of every setup at every L, so that the rounds of one L are spread over
        // the run; the setups' order rotates from round to round, so that none always runs first after a change of L.
        Map<Long, List<CostRow.Window>> windows = new LinkedHashMap<>();
        plan.latenciesMillis().forEach(millis -> windows.put(millis, new ArrayList<>()));
        int order = 0;
        for (int round = 1; round <= plan.pairs(); round++) {
            for (long millis : plan.latenciesMillis()) {
                Latency latency = Latency.ofMillis(millis);
                List<CostSetup> inOrder = order(setups, round);
                progress.say("%s: C = %d, L = %s, round %d of %d (%s)", what, plan.concurrency(), latency, round, plan.pairs(),
                        inOrder.stream().map(CostSetup::letter).collect(Collectors.joining(", ")));
                for (CostSetup setup : inOrder) {
                    String name = String.format(Locale.ROOT, "%s-%s-c%d-l%d-r%d", prefix, setup.letter(), plan.concurrency(),
                            millis, round);
                    ThroughputSample sample = measurement.measure(name, setup, latency, plan.window());
                    windows.get(millis).add(new CostRow.Window(++order, round, setup, name, sample));
                }
            }
        }
        List<CostRow> rows = new ArrayList<>();
        windows.forEach((millis, measured) -> {
            CostRow row = new CostRow(plan.concurrency(), Latency.ofMillis(millis), setups, measured);
            for (CostSetup setup : setups) {
                progress.say("%s: C = %d, L = %s, %s: jobs/s %s, worker CPU s per 1,000 jobs %s", what, plan.concurrency(),
                        row.latency(), setup.title(), row.jobsPerSecond(setup).render(Format::rate),
                        row.workerCpuPerThousand(setup).render(Format::seconds));
            }
            for (Ratio r : ratios) {
                progress.say("%s: C = %d, L = %s, %s round by round: jobs/s %s, worker CPU %s", what, plan.concurrency(),
                        row.latency(), r.title(), row.roundRatio(ThroughputSample::jobsPerSecond, r.numerator(), r.denominator())
                                .render(Format::ratio),
                        row.roundRatio(ThroughputSample::subjectCpuSecondsPerThousand, r.numerator(), r.denominator())
                                .render(Format::ratio));
            }
            rows.add(row);
        });
        return new Measured(List.copyOf(shares), List.copyOf(rows));
    }

    /** The setups of round {@code round} (from 1), in the order they run: rotated by one each round. */
    static List<CostSetup> order(List<? extends CostSetup> setups, int round) {
        List<CostSetup> order = new ArrayList<>();
        for (int i = 0; i < setups.size(); i++) {
            order.add(setups.get((round - 1 + i) % setups.size()));
        }
        return order;
    }

    /** The windows that shared the CPU (more than 0.25 cores competing), as the notes list them; empty if none. */
    static List<String> disturbed(List<CostRow> rows) {
        List<String> disturbed = new ArrayList<>();
        for (CostRow row : rows) {
            for (CostRow.Window w : row.windows()) {
                ThroughputSample s = w.sample();
                if (s.ok() && s.cpu().competingCores() > 0.25) {
                    disturbed.add(String.format(Locale.ROOT, "#%d (L = %s, %s, %.2f cores)", w.order(), row.latency(),
                            w.variant().letter(), s.cpu().competingCores()));
                }
            }
        }
        return disturbed;
    }
}
