package dev.troupe.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The head-to-head tables ({@link VersusBench}) in Markdown, goals included. */
final class VersusReport {

    /** The goals: a third of Parallel Consumer's CPU per job, twice its dispatch ceiling, 1 KiB per job in flight. */
    static final double CPU_GOAL = 1.0 / 3;
    static final double CEILING_GOAL = 2.0;
    static final double HEAP_GOAL_BYTES = 1024;
    static final int HEAP_GOAL_IN_FLIGHT = 50_000;

    private VersusReport() {
    }

    static String markdown(String command, Instant began, Instant ended, String loadAtStart, String loadAtEnd,
            List<Contender> contenders, List<VersusBench.Run> runs, List<VersusBench.MemoryRun> memory, int jobs, int warmup) {
        MachineInfo m = MachineInfo.current();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Troupe head to head, %s, %d s in all.%n%n", began, Duration.between(began, ended).toSeconds()));
        out.append(String.format(Locale.ROOT, "Machine: %s, %d cores, %,d MiB RAM; %s; %s. Load average (1/5/15 min) at start %s, at end %s.%n",
                m.cpuModel(), m.cores(), m.memoryBytes() / 1048576, m.os(), m.java(), loadAtStart, loadAtEnd));
        out.append("Command: `").append(command).append("`\n\n");
        List<VersusBench.WorkPoint> points = runs.stream().map(VersusBench.Run::point).distinct().toList();
        if (!runs.isEmpty()) {
            out.append(String.format(Locale.ROOT, "Each system in a JVM of its own (-Xmx1g); the broker in the bench JVM and the simulator in a "
                    + "JVM of its own, shared by all runs of a work point. %,d jobs counted per run, after %,d warm-up jobs; median "
                    + "(min–max) over the rounds. CPU is each process's user + system time from /proc (GC and JIT included) "
                    + "over the window, per 1,000 jobs.%n%n", jobs, warmup));
            out.append("| work | system | jobs/s | worker CPU s / 1,000 jobs | simulator CPU s / 1,000 | broker JVM CPU s / 1,000 "
                    + "| worker's share of the CPU | HTTP requests / job | status reads / job |\n");
            out.append("|---|---|---|---|---|---|---|---|---|\n");
            for (VersusBench.WorkPoint point : points) {
                for (Contender c : contenders) {
                    List<VersusBench.Run> mine = of(runs, point, c);
                    out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", point, c.label(),
                            spread(mine, VersusBench.Run::jobsPerSecond).render(Format::rate),
                            spread(mine, r -> r.perThousand(r.subjectCpuSeconds())).render(Format::seconds),
                            spread(mine, r -> r.perThousand(r.simulatorCpuSeconds())).render(Format::seconds),
                            spread(mine, r -> r.perThousand(r.brokerCpuSeconds())).render(Format::seconds),
                            spread(mine, VersusBench.Run::subjectShare).render(v -> String.format(Locale.ROOT, "%.0f%%", v * 100)),
                            spread(mine, VersusBench.Run::requestsPerJob).render(v -> String.format(Locale.ROOT, "%.2f", v)),
                            spread(mine, VersusBench.Run::statusReadsPerJob).render(v -> String.format(Locale.ROOT, "%.2f", v))));
                }
            }
            out.append("\nTroupe against the others, round by round (median (min–max) of the ratios of runs in the same round)\n\n");
            out.append("| work | Troupe ÷ PC jobs/s | Troupe ÷ PC worker CPU per job | Troupe ÷ baseline jobs/s | Troupe ÷ baseline worker CPU per job "
                    + "| 2 event loops ÷ 1, jobs/s | 2 event loops ÷ 1, worker CPU per job |\n");
            out.append("|---|---|---|---|---|---|---|\n");
            for (VersusBench.WorkPoint point : points) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", point,
                        ratio(runs, point, Contender.PARALLEL_CONSUMER, VersusBench.Run::jobsPerSecond).render(Format::ratio),
                        ratio(runs, point, Contender.PARALLEL_CONSUMER, r -> r.perThousand(r.subjectCpuSeconds())).render(Format::ratio),
                        ratio(runs, point, Contender.BASELINE, VersusBench.Run::jobsPerSecond).render(Format::ratio),
                        ratio(runs, point, Contender.BASELINE, r -> r.perThousand(r.subjectCpuSeconds())).render(Format::ratio),
                        ratio(runs, point, Contender.TROUPE_TWO_LOOPS, Contender.TROUPE, VersusBench.Run::jobsPerSecond).render(Format::ratio),
                        ratio(runs, point, Contender.TROUPE_TWO_LOOPS, Contender.TROUPE, r -> r.perThousand(r.subjectCpuSeconds()))
                                .render(Format::ratio)));
            }
        }
        if (!memory.isEmpty()) {
            out.append("\nHeap per job in flight, in the same child JVMs (generations held for an hour at the simulator; heap in use after "
                    + "two full collections, before the jobs and once every job's generation is at the simulator)\n\n");
            out.append("| system | jobs in flight | arrangement | heap before | heap with the jobs | heap bytes / job | RSS growth bytes / job | generations at the simulator |\n");
            out.append("|---|---|---|---|---|---|---|---|\n");
            for (VersusBench.MemoryRun r : memory) {
                if (r.failure() != null) {
                    out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | | | | |%n", r.contender().label(), r.inFlight(),
                            r.arrangement(), r.failure()));
                } else {
                    out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %,d |%n", r.contender().label(), r.inFlight(),
                            r.arrangement(), Format.mebibytes(r.heapBefore()), Format.mebibytes(r.heapAfter()), Format.bytes(r.heapPerJob()),
                            Format.bytes(r.rssPerJob()), r.atGivon()));
                }
            }
        }
        out.append("\nGoals (issue 15)\n\n");
        for (String goal : goals(runs, memory)) {
            out.append("- ").append(goal).append('\n');
        }
        if (!runs.isEmpty()) {
            out.append("\nEvery run, in the order they ran\n\n");
            out.append("| work | round | # | system | jobs | window s | jobs/s | worker CPU s | simulator CPU s | broker JVM CPU s | duplicates | worker RSS after the window | failure |\n");
            out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (VersusBench.Run r : runs) {
                out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %,d | %.1f | %s | %.2f | %.2f | %.2f | %,d | %s | %s |%n", r.point(),
                        r.round(), r.position(), r.contender().label(), r.jobs(), r.seconds(), Format.rate(r.jobsPerSecond()),
                        r.subjectCpuSeconds(), r.simulatorCpuSeconds(), r.brokerCpuSeconds(), r.duplicates(),
                        r.rssBytes() <= 0 ? "-" : Format.mebibytes(r.rssBytes()), r.failure() == null ? "" : r.failure()));
            }
        }
        return out.toString();
    }

    private static List<String> goals(List<VersusBench.Run> runs, List<VersusBench.MemoryRun> memory) {
        List<String> goals = new ArrayList<>();
        for (VersusBench.WorkPoint point : runs.stream().map(VersusBench.Run::point).distinct().toList()) {
            boolean cpuPoint = point.concurrency() == 256 && point.latency().millis() == 0
                    || point.concurrency() == 2048 && point.latency().millis() == 500;
            Spread cpu = ratio(runs, point, Contender.PARALLEL_CONSUMER, r -> r.perThousand(r.subjectCpuSeconds()));
            if (cpuPoint) {
                goals.add(verdict(String.format(Locale.ROOT, "Worker CPU per 1,000 jobs at most 1/3 of PC's at %s", point), cpu,
                        CPU_GOAL, false));
            }
            if (point.concurrency() == 256 && point.latency().millis() == 0) {
                goals.add(verdict(String.format(Locale.ROOT, "Dispatch ceiling (%s) at least 2x PC's", point),
                        ratio(runs, point, Contender.PARALLEL_CONSUMER, VersusBench.Run::jobsPerSecond), CEILING_GOAL, true));
            }
        }
        for (VersusBench.MemoryRun r : memory) {
            if (r.contender() == Contender.TROUPE && r.inFlight() == HEAP_GOAL_IN_FLIGHT) {
                goals.add(r.failure() != null ? "At most 1 KiB of heap per job with 50,000 in flight: not measured (" + r.failure() + ")"
                        : String.format(Locale.ROOT, "At most 1 KiB of heap per job with 50,000 in flight: %s bytes: %s", Format.bytes(r.heapPerJob()),
                        r.heapPerJob() <= HEAP_GOAL_BYTES ? "met" : String.format(Locale.ROOT, "missed by %.1fx", r.heapPerJob() / HEAP_GOAL_BYTES)));
            }
        }
        return goals;
    }

    private static String verdict(String goal, Spread ratio, double target, boolean atLeast) {
        if (ratio.count() == 0) {
            return goal + ": not measured";
        }
        boolean met = atLeast ? ratio.median() >= target : ratio.median() <= target;
        String how = met ? "met" : String.format(Locale.ROOT, "missed by %.1fx", atLeast ? target / ratio.median() : ratio.median() / target);
        return String.format(Locale.ROOT, "%s: Troupe ÷ PC = %s: %s", goal, ratio.render(Format::ratio), how);
    }

    private static List<VersusBench.Run> of(List<VersusBench.Run> runs, VersusBench.WorkPoint point, Contender c) {
        return runs.stream().filter(r -> r.point().equals(point) && r.contender() == c).toList();
    }

    private static Spread spread(List<VersusBench.Run> runs, ToDoubleFunction<VersusBench.Run> figure) {
        return Spread.of(runs.stream().filter(r -> r.failure() == null).mapToDouble(figure).toArray());
    }

    /** Troupe's figure over the other's, round by round. */
    private static Spread ratio(List<VersusBench.Run> runs, VersusBench.WorkPoint point, Contender other,
            ToDoubleFunction<VersusBench.Run> figure) {
        return ratio(runs, point, Contender.TROUPE, other, figure);
    }

    private static Spread ratio(List<VersusBench.Run> runs, VersusBench.WorkPoint point, Contender mine, Contender other,
            ToDoubleFunction<VersusBench.Run> figure) {
        List<Double> ratios = new ArrayList<>();
        for (VersusBench.Run troupe : of(runs, point, mine)) {
            for (VersusBench.Run them : of(runs, point, other)) {
                if (them.round() == troupe.round() && troupe.failure() == null && them.failure() == null) {
                    ratios.add(figure.applyAsDouble(troupe) / figure.applyAsDouble(them));
                }
            }
        }
        return Spread.of(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
