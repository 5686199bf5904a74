package dev.troupe.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report as Markdown tables: printed on stdout and written to {@code latest.md}. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String render(BenchReport r) {
        StringBuilder md = new StringBuilder();
        MachineInfo m = r.machine();
        md.append("Troupe benchmark, ").append(r.startedAt()).append(r.quick() ? " (--quick: short windows, figures not comparable)" : "")
                .append(String.format(Locale.ROOT, ", %.0f s in all.%n%n", r.durationSeconds()));
        md.append(String.format(Locale.ROOT, "Machine: %s, %d cores, %s RAM; %s; %s; JVM %s, GC %s.%n", m.cpuModel(), m.cores(),
                Format.mebibytes(m.memoryBytes()), m.os(), m.java(), String.join(" ", m.jvmArguments()),
                String.join(" + ", m.garbageCollectors())));
        boolean systems = r.dispatch() != null || !r.utilization().isEmpty() || !r.memory().isEmpty() || !r.correctness().isEmpty()
                || r.journalCost() != null || r.budgetCost() != null;
        md.append(systems ? "Broker, simulator, Troupe and the baseline share this machine and this JVM (the memory rows run the "
                + "simulator in a child JVM on the same machine). " : r.journal() != null || r.transactionHold() != null
                ? "The in-JVM broker ran in this JVM for the " + (r.journal() != null ? "journal rows" : "transaction hold")
                        + "; no simulator, no worker. "
                : "No broker or simulator ran: the codec alone. ")
                .append(r.transactionHold() != null ? "The transaction-hold rows' killed producers ran in child JVMs on the "
                        + "same machine. " : "")
                .append("Load average (1/5/15 min) at start ")
                .append(r.loadAtStart()).append(", at end ").append(r.loadAtEnd()).append(".\n");
        md.append("Command: `").append(r.command()).append("`\n\n");
        if (!r.utilization().isEmpty()) {
            utilization(md, r);
        }
        if (r.dispatch() != null) {
            dispatch(md, r.dispatch());
        }
        if (r.journalCost() != null) {
            journalCost(md, r.journalCost().plan(), r.journalCost().rows());
        }
        if (r.budgetCost() != null) {
            budgetCost(md, r.budgetCost());
        }
        if (!r.memory().isEmpty()) {
            memory(md, r.memory());
        }
        if (!r.correctness().isEmpty()) {
            correctness(md, r);
        }
        if (!r.decode().isEmpty()) {
            decode(md, r.decode());
        }
        if (r.journal() != null) {
            journal(md, r.journal());
        }
        if (r.transactionHold() != null) {
            transactionHold(md, r.transactionHold());
        }
        if (!r.notes().isEmpty()) {
            md.append("Notes:\n\n");
            r.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    private static void utilization(StringBuilder md, BenchReport r) {
        md.append("Utilization = steady-state throughput / (C / L), the bound of Little's law\n\n");
        table(md, List.of("C", "L", "bound C/L (jobs/s)", "Troupe jobs/s", "Troupe utilization", "baseline jobs/s",
                "baseline utilization", "Troupe / baseline", "jobs counted (Troupe / baseline)", "window s (T / b)",
                "peak at Givon (T / b)", "CPU cores: bench (T / b); competing (T / b)"), r.utilization().stream().map(row -> List.of(
                Integer.toString(row.concurrency()), row.latency().toString(), Format.rate(row.bound()),
                rate(row.troupe()), utilization(row.troupe()), rate(row.baseline()), utilization(row.baseline()),
                ratio(row), both(row, s -> Format.count(s.jobs())),
                both(row, s -> String.format(Locale.ROOT, "%.1f", s.windowSeconds())),
                both(row, s -> Integer.toString(s.peakAtGivon())), cpu(row))).toList());
    }

    private static void dispatch(StringBuilder md, ThroughputRow row) {
        md.append(String.format(Locale.ROOT, "Dispatch ceiling: jobs/s end to end (produce, consume, submit, read status, "
                + "publish result, commit) with L = 0, C = %d%n%n", row.concurrency()));
        table(md, List.of("system", "jobs/s", "jobs counted", "window s", "CPU cores: bench; competing"),
                sampleRows(row));
        md.append(String.format(Locale.ROOT, "Troupe / baseline: %s%n%n", ratio(row)));
    }

    private static void journalCost(StringBuilder md, CostRounds.Plan plan, List<CostRow> rows) {
        md.append(String.format(Locale.ROOT, "Journal and transaction cost: Troupe end to end in three setups, a = journal off, "
                + "at-least-once (the old baseline), b = journal on, at-least-once, c = journal on, exactly-once (the default), "
                + "alternating in rounds (a b c, b c a, c a b, ...), %d round%s per L, C = %d; median (min–max) over the windows%n%n",
                plan.pairs(), plan.pairs() == 1 ? "" : "s", plan.concurrency()));
        costTables(md, "the journal and transaction cost", List.of(JournalCostProbe.Variant.values()), JournalCostProbe.RATIOS,
                List.of("journal", "transactions"), rows, List.of(), w -> List.of());
    }

    private static void budgetCost(StringBuilder md, BudgetCostProbe.Result r) {
        CostRounds.Plan plan = r.plan();
        md.append(String.format(Locale.ROOT, "Budget cost: Troupe end to end with every job of one tenant, a = its budget "
                + "unlimited (no record written), b = its budget limited to %s tokens a day, decided through troupe.budget "
                + "(fleet scope, the default; never refused), journal on and exactly-once in both, alternating in rounds "
                + "(a b, b a, ...), %d round%s per L, C = %d; median (min–max) over the windows%n%n", Format.tokens(r.rule().limit()),
                plan.pairs(), plan.pairs() == 1 ? "" : "s", plan.concurrency()));
        costTables(md, "the budget cost", r.setups(), BudgetCostProbe.ratios(r.setups()), List.of("budget"), r.rows(),
                List.of("troupe.budget records", "reservations granted / refused"), w -> {
                    BudgetLogTally t = r.tally(w);
                    return List.of(Format.count(t.records()), Format.count(t.granted()) + " / " + Format.count(t.refused()));
                });
        BudgetLogSample s = r.log();
        if (s == null) {
            md.append("Reservation round trip: not measured (").append(r.logFailure()).append(")\n\n");
            return;
        }
        md.append("Reservation round trip through troupe.budget (`FleetBudgetLog`, acks=all, one budget): as a job waits for "
                + "its decision, measured directly against the broker\n\n");
        table(md, List.of("measure", "count", "p50 µs", "p99 µs", "max µs", "rate"), List.of(
                timing("reserve → decision, one at a time", s.sequential(), "-"),
                timing("reserve → decision, " + s.inFlight() + " outstanding", s.concurrent(),
                        Format.rate(s.concurrentPerSecond()) + " decisions/s"),
                timing("settle → acknowledged (what a job waits for: nothing)", s.settleAck(), "-"),
                timing("settle → applied by the reader (parked jobs told)", s.settleReadBack(), "-")));
    }

    private static List<String> timing(String what, BudgetLogSample.Timing t, String rate) {
        return List.of(what, Format.count(t.count()), Format.micros(t.p50Micros()), Format.micros(t.p99Micros()),
                Format.micros(t.maxMicros()), rate);
    }

    /**
     * The tables of a cost comparison: each setup's figures and the ratios, every window in the order they ran (with
     * {@code extraHeaders}/{@code extra} columns), the worker's CPU by thread (and its difference between each setup
     * and the one before, named by {@code differences}), and the worker's producers' own metrics.
     */
    private static void costTables(StringBuilder md, String what, List<? extends CostSetup> setups, List<CostRounds.Ratio> ratios,
                                   List<String> differences, List<CostRow> rows, List<String> extraHeaders,
                                   java.util.function.Function<CostRow.Window, List<String>> extra) {
        List<List<String>> table = new ArrayList<>();
        for (CostRow row : rows) {
            for (CostSetup v : setups) {
                table.add(List.of(row.latency().toString(), v.title(),
                        row.jobsPerSecond(v).render(Format::rate), row.workerCpuPerThousand(v).render(Format::seconds),
                        row.benchCpuPerThousand(v).render(Format::seconds),
                        row.firstResultMillis(v).render(x -> Format.count(Math.round(x))),
                        row.competingCores(v).render(Format::cores)));
            }
            for (CostRounds.Ratio r : ratios) {
                table.add(List.of(row.latency().toString(), "**" + r.title() + "** (" + r.why() + "), round by round",
                        row.roundRatio(ThroughputSample::jobsPerSecond, r.numerator(), r.denominator()).render(Format::ratio),
                        row.roundRatio(ThroughputSample::subjectCpuSecondsPerThousand, r.numerator(), r.denominator())
                                .render(Format::ratio),
                        row.roundRatio(ThroughputSample::benchCpuSecondsPerThousand, r.numerator(), r.denominator())
                                .render(Format::ratio),
                        row.roundRatio(s -> s.firstResultMillis(), r.numerator(), r.denominator()).render(Format::ratio), "-"));
            }
        }
        table(md, List.of("L", "setup", "jobs/s", "worker CPU s / 1,000 jobs", "bench JVM CPU s / 1,000 jobs",
                "start to first result (ms)", "competing cores"), table);

        md.append("Every window of ").append(what).append(", in the order they ran\n\n");
        List<List<String>> windows = new ArrayList<>();
        List<CostRow.Window> inOrder = rows.stream().flatMap(row -> row.windows().stream())
                .sorted(Comparator.comparingInt(CostRow.Window::order)).toList();
        for (CostRow.Window w : inOrder) {
            ThroughputSample s = w.sample();
            List<String> cells = new ArrayList<>(List.of(Integer.toString(w.order()), Integer.toString(w.round()),
                    s.latency().toString(), w.variant().letter(), rate(s), s.ok() ? Format.count(s.jobs()) : "-",
                    s.ok() ? String.format(Locale.ROOT, "%.1f", s.windowSeconds()) : "-",
                    Format.seconds(s.subjectCpuSecondsPerThousand()), Format.seconds(s.benchCpuSecondsPerThousand()),
                    s.ok() ? Format.cores(s.cpu().benchCores()) + "; " + Format.cores(s.cpu().competingCores()) : s.failure(),
                    s.ok() && s.jitSeconds() >= 0 ? String.format(Locale.ROOT, "%.1f", s.jitSeconds()) : "-"));
            cells.addAll(extra.apply(w));
            windows.add(cells);
        }
        List<String> windowHeader = new ArrayList<>(List.of("#", "round", "L", "setup", "jobs/s", "jobs counted", "window s",
                "worker CPU s / 1,000 jobs", "bench JVM CPU s / 1,000 jobs", "CPU cores: bench; competing", "JIT compiling s"));
        windowHeader.addAll(extraHeaders);
        table(md, windowHeader, windows);

        md.append("Where the worker's CPU goes: seconds per 1,000 jobs by thread (median over the windows; `<worker>` is the "
                + "worker's instance, N any number)\n\n");
        List<List<String>> threads = new ArrayList<>();
        for (CostRow row : rows) {
            row.workerCpuByGroup().forEach((group, bySetup) -> {
                if (java.util.Arrays.stream(bySetup).max().orElse(0) >= 0.0005) {
                    List<String> cells = new ArrayList<>(List.of(row.latency().toString(), "`" + group + "`"));
                    for (double v : bySetup) {
                        cells.add(Format.seconds(v));
                    }
                    for (int i = 1; i < bySetup.length; i++) {
                        cells.add(Format.seconds(bySetup[i] - bySetup[i - 1]));
                    }
                    threads.add(cells);
                }
            });
        }
        List<String> threadHeader = new ArrayList<>(List.of("L", "thread"));
        setups.forEach(v -> threadHeader.add(v.letter()));
        for (int i = 1; i < setups.size(); i++) {
            threadHeader.add(setups.get(i).letter() + " − " + setups.get(i - 1).letter() + " (" + differences.get(i - 1) + ")");
        }
        table(md, threadHeader, threads);

        md.append("The worker's Kafka producers by their own metrics at each window's end (averages per request or record "
                + "over the client's sampled window, about the measurement); median (min–max) over the windows\n\n");
        List<List<String>> producers = new ArrayList<>();
        for (CostRow row : rows) {
            for (CostSetup v : setups) {
                for (String producer : row.producers(v)) {
                    producers.add(List.of(row.latency().toString(), v.letter(), "`" + producer + "`",
                            row.producerMetric(v, producer, "records-per-request-avg").render(x -> String.format(Locale.ROOT, "%.1f", x)),
                            row.producerMetric(v, producer, "record-queue-time-avg").render(x -> String.format(Locale.ROOT, "%.1f", x)),
                            row.producerMetric(v, producer, "request-latency-avg").render(x -> String.format(Locale.ROOT, "%.1f", x)),
                            row.producerMetric(v, producer, "request-latency-max").render(x -> String.format(Locale.ROOT, "%.0f", x))));
                }
            }
        }
        table(md, List.of("L", "setup", "producer", "records per request", "queue time avg (ms)",
                "request latency avg (ms)", "request latency max (ms)"), producers);
    }

    private static List<List<String>> sampleRows(ThroughputRow row) {
        List<List<String>> rows = new ArrayList<>();
        for (ThroughputSample s : new ThroughputSample[] {row.troupe(), row.baseline()}) {
            if (s != null) {
                rows.add(List.of(s.subject().label(), rate(s), s.ok() ? Format.count(s.jobs()) : "-",
                        s.ok() ? String.format(Locale.ROOT, "%.1f", s.windowSeconds()) : "-",
                        s.ok() ? Format.cores(s.cpu().benchCores()) + "; " + Format.cores(s.cpu().competingCores()) : s.failure()));
            }
        }
        return rows;
    }

    private static void memory(StringBuilder md, List<MemorySample> samples) {
        md.append("Memory per job in flight: heap after GC with N jobs in flight minus heap after GC with the same "
                + "consumers idle, divided by N\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (MemorySample s : samples) {
            MemorySample baseline = samples.stream()
                    .filter(b -> b.subject() == Subject.Kind.BASELINE && b.inFlight() == s.inFlight() && b.ok())
                    .findFirst().orElse(null);
            String ratio = s.subject() == Subject.Kind.TROUPE && baseline != null && s.ok()
                    ? Format.ratio(s.heapBytesPerJob() / baseline.heapBytesPerJob()) : "-";
            rows.add(List.of(Format.count(s.inFlight()), s.subject().label(), s.arrangement(),
                    s.ok() ? Format.count(s.atGivon()) : "-", Format.bytes(s.heapBytesPerJob()), ratio,
                    Format.bytes(s.rssBytesPerJob()),
                    s.ok() ? s.threadsBefore() + " -> " + s.threadsAfter() : "-",
                    s.ok() ? extraGenerations(s) : s.skipped()));
        }
        table(md, List.of("jobs in flight", "system", "how they are held", "generations at Givon", "heap bytes/job",
                "Troupe / baseline (heap)", "off-heap bytes/job (RSS growth)", "threads", "note"), rows);
    }

    private static String extraGenerations(MemorySample s) {
        long extra = s.generationsCreated() - s.inFlight();
        return extra > 0 && s.subject() == Subject.Kind.BASELINE
                ? String.format(Locale.ROOT, "%,d generations more than jobs: POSTs that timed out were sent again", extra)
                : "";
    }

    private static void correctness(StringBuilder md, BenchReport r) {
        md.append("Correctness under load: ").append(r.correctnessLoad().describe()).append("\n\n");
        table(md, List.of("system", "jobs", "results", "lost", "duplicated", "max generations per job", "tokens charged",
                "budget", "results by status", "committed to log end", "verdict"), r.correctness().stream().map(s -> List.of(
                s.subject().label(), Format.count(s.jobs()), Format.count(s.results()), Format.count(s.lost()),
                Format.count(s.duplicated()), Integer.toString(s.maxGenerationsPerJob()), s.charged().toString(),
                s.budget() == null ? "none (" + r.correctnessLoad().budget() + " given to Troupe)" : s.budget().toString(),
                statuses(s.byStatus()), s.committedAtLogEnd() ? "yes" : "no",
                s.failure() != null ? "failed: " + s.failure() : verdict(s))).toList());
    }

    private static void decode(StringBuilder md, List<DecodeSample> samples) {
        md.append("Decoding the worst records: microseconds per `JobCodec.defaults().decode(bytes)`, one call at a time "
                + "after warm-up\n\n");
        table(md, List.of("record", "bytes", "outcome", "calls timed", "median µs", "p99 µs", "max µs"), samples.stream()
                .map(s -> List.of(s.record(), Format.count(s.bytes()), s.outcome(), Format.count(s.calls()),
                        Format.micros(s.medianMicros()), Format.micros(s.p99Micros()), Format.micros(s.maxMicros()))).toList());
    }

    private static void journal(StringBuilder md, JournalSample s) {
        md.append("The job journal (`KafkaJobJournal`, acks=all): one write as a job waits for it, and a new owner's restore\n\n");
        table(md, List.of("measure", "figure"), List.of(
                List.of("write, one at a time (" + Format.count(s.sequentialWrites()) + " timed): p50 / p99 / max µs",
                        Format.micros(s.writeP50Micros()) + " / " + Format.micros(s.writeP99Micros()) + " / "
                                + Format.micros(s.writeMaxMicros())),
                List.of("writes pipelined (" + Format.count(s.pipelinedWrites()) + ", at most " + s.inFlight() + " in flight)",
                        Format.rate(s.pipelinedWritesPerSecond()) + " writes/s"),
                List.of("restore of " + Format.count(s.jobs()) + " jobs (" + Format.count(s.records()) + " records): first / median / max of "
                        + s.restores() + " (ms)", String.format(Locale.ROOT, "%,.0f / %,.0f / %,.0f", s.firstRestoreMillis(),
                        s.medianRestoreMillis(), s.maxRestoreMillis()))));
    }

    private static void transactionHold(StringBuilder md, TransactionHoldProbe.Result r) {
        md.append(String.format(Locale.ROOT, "Transaction hold: how long a producer killed with SIGKILL holds read_committed "
                + "readers of its partition (transaction.timeout.ms = %d; broker %s = %s)%n%n",
                r.plan().transactionTimeout().toMillis(), TransactionHoldProbe.CLEANUP_INTERVAL,
                r.brokerConfigs().get(TransactionHoldProbe.CLEANUP_INTERVAL)));
        List<List<String>> rows = new ArrayList<>();
        for (boolean open : new boolean[] {true, false}) {
            rows.add(List.of(open ? "inside a transaction (open)" : "just after a commit",
                    r.hold(open).render(v -> Format.count(Math.round(v))),
                    r.of(open).stream().map(k -> Format.count(Math.round(k.holdMillis()))).collect(Collectors.joining(", ")),
                    Integer.toString(r.of(open).size())));
        }
        table(md, List.of("killed", "hold ms: median (min–max)", "each kill (ms)", "kills"), rows);
        List<List<String>> kills = new ArrayList<>();
        for (TransactionHoldProbe.Kill k : r.kills()) {
            kills.add(List.of(Integer.toString(k.order()), k.open() ? "open" : "committed", Integer.toString(k.records()),
                    Format.count(Math.round(k.transactionAgeMillis())), Long.toString(k.stableAtKill()),
                    Long.toString(k.logEndAtKill()), Format.count(Math.round(k.holdMillis())), Long.toString(k.stableAfter()),
                    Format.count(Math.round(k.childStartMillis()))));
        }
        table(md, List.of("#", "transaction", "records", "transaction age at kill (ms)", "last stable offset at kill",
                "log end at kill", "hold (ms)", "last stable offset after", "child JVM start to ready (ms)"), kills);
        md.append("Broker transaction settings: ").append(r.brokerConfigs().entrySet().stream()
                .map(e -> "`" + e.getKey() + "` = " + e.getValue()).collect(Collectors.joining(", "))).append("\n\n");
    }

    private static String verdict(CorrectnessSample s) {
        List<String> broken = new ArrayList<>();
        if (s.lost() > 0) {
            broken.add("lost results");
        }
        if (s.duplicated() > 0) {
            broken.add("duplicated results");
        }
        if (s.maxGenerationsPerJob() > 1) {
            broken.add("paid twice");
        }
        if (!s.withinBudget()) {
            broken.add("over budget");
        }
        if (s.budget() == null && s.lost() == 0 && s.duplicated() == 0 && s.maxGenerationsPerJob() <= 1) {
            return "ok, but no budget";
        }
        return broken.isEmpty() ? "ok" : String.join(", ", broken);
    }

    private static String statuses(Map<?, Long> byStatus) {
        return byStatus.entrySet().stream().map(e -> e.getKey() + " " + Format.count(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String rate(ThroughputSample s) {
        return s == null ? "not measured" : s.ok() ? Format.rate(s.jobsPerSecond()) : "failed";
    }

    private static String utilization(ThroughputSample s) {
        return s == null || !s.ok() ? "-" : Format.ratio(s.utilization());
    }

    private static String ratio(ThroughputRow row) {
        return row.troupe() == null || row.baseline() == null ? "-" : Format.ratio(row.ratio());
    }

    private static String both(ThroughputRow row, java.util.function.Function<ThroughputSample, String> field) {
        return one(row.troupe(), field) + " / " + one(row.baseline(), field);
    }

    private static String one(ThroughputSample s, java.util.function.Function<ThroughputSample, String> field) {
        return s == null || !s.ok() ? "-" : field.apply(s);
    }

    private static String cpu(ThroughputRow row) {
        String others = String.format(Locale.ROOT, "%s / %s",
                one(row.troupe(), s -> Format.cores(s.cpu().competingCores())),
                one(row.baseline(), s -> Format.cores(s.cpu().competingCores())));
        return both(row, s -> Format.cores(s.cpu().benchCores())) + "; " + others;
    }

    private static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(row.stream().map(cell -> cell.replace("|", "/")).collect(Collectors.joining(" | ")))
                    .append(" |\n");
        }
        md.append('\n');
    }
}
