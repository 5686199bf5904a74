package dev.troupe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.BiConsumer;

/** The report as JSON ({@code latest.json}): every figure, with the derived ones spelled out. */
final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    static String render(BenchReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("startedAt", r.startedAt());
        root.put("durationSeconds", round(r.durationSeconds()));
        root.put("command", r.command());
        root.put("quick", r.quick());
        machine(root.putObject("machine"), r);
        ObjectNode window = root.putObject("throughputWindow");
        window.put("warmupSeconds", r.window().warmup().toSeconds());
        window.put("targetJobs", r.window().targetJobs());
        window.put("minSeconds", r.window().minWindow().toSeconds());
        window.put("shortMaxSeconds", r.window().shortWindow().toSeconds());
        window.put("longMaxSeconds", r.window().longWindow().toSeconds());
        ArrayNode utilization = root.putArray("utilization");
        r.utilization().forEach(row -> row(utilization.addObject(), row));
        if (r.dispatch() != null) {
            row(root.putObject("dispatchCeiling"), r.dispatch());
        }
        if (r.journalCost() != null) {
            journalCost(root.putObject("journalCost"), r.journalCost());
        }
        if (r.budgetCost() != null) {
            budgetCost(root.putObject("budgetCost"), r.budgetCost());
        }
        if (!r.decode().isEmpty()) {
            ObjectNode decode = root.putObject("decode");
            decode.put("call", "JobCodec.defaults().decode(bytes), one call at a time after warm-up");
            ArrayNode records = decode.putArray("records");
            r.decode().forEach(s -> decode(records.addObject(), s));
        }
        if (r.journal() != null) {
            journal(root.putObject("journal"), r.journal());
        }
        ArrayNode memory = root.putArray("memory");
        r.memory().forEach(s -> memory(memory.addObject(), s));
        if (!r.correctness().isEmpty()) {
            ObjectNode correctness = root.putObject("correctness");
            correctness.put("load", r.correctnessLoad().describe());
            ArrayNode samples = correctness.putArray("samples");
            r.correctness().forEach(s -> correctness(samples.addObject(), s));
        }
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static void machine(ObjectNode node, BenchReport r) {
        MachineInfo m = r.machine();
        node.put("cpu", m.cpuModel());
        node.put("cores", m.cores());
        node.put("memoryBytes", m.memoryBytes());
        node.put("os", m.os());
        node.put("java", m.java());
        node.put("maxHeapBytes", m.maxHeapBytes());
        m.jvmArguments().forEach(node.putArray("jvmArguments")::add);
        m.garbageCollectors().forEach(node.putArray("garbageCollectors")::add);
        node.put("loadAverageAtStart", r.loadAtStart());
        node.put("loadAverageAtEnd", r.loadAtEnd());
        node.put("shared", "broker, simulator, Troupe and the baseline run on this machine in one JVM "
                + "(the memory rows' simulator in a child JVM)");
    }

    private static void row(ObjectNode node, ThroughputRow row) {
        node.put("concurrency", row.concurrency());
        node.put("latencyMillis", row.latency().millis());
        putNumber(node, "boundJobsPerSecond", row.bound());
        node.put("pollingCeiling", round(row.latency().pollingCeiling()));
        if (row.troupe() != null) {
            sample(node.putObject("troupe"), row.troupe());
        }
        if (row.baseline() != null) {
            sample(node.putObject("baseline"), row.baseline());
        }
        if (row.troupe() != null && row.baseline() != null) {
            putNumber(node, "troupeOverBaseline", row.ratio());
        }
    }

    private static void sample(ObjectNode node, ThroughputSample s) {
        if (!s.ok()) {
            node.put("failure", s.failure());
            return;
        }
        node.put("jobs", s.jobs());
        node.put("windowSeconds", round(s.windowSeconds()));
        putNumber(node, "jobsPerSecond", s.jobsPerSecond());
        putNumber(node, "utilization", s.utilization());
        node.put("peakGenerationsAtGivon", s.peakAtGivon());
        node.put("duplicateResults", s.duplicates());
        node.put("benchCores", round(s.cpu().benchCores()));
        node.put("stealCores", round(s.cpu().stealCores()));
        node.put("otherProcessesCores", round(s.cpu().otherCores()));
        putNumber(node, "subjectCpuSeconds", s.subjectCpu().seconds());
        putNumber(node, "subjectCpuSecondsPerThousandJobs", s.subjectCpuSecondsPerThousand());
        putNumber(node, "benchCpuSecondsPerThousandJobs", s.benchCpuSecondsPerThousand());
        ObjectNode threads = node.putObject("subjectCpuSecondsByThread");
        s.subjectCpu().byGroup().forEach((group, seconds) -> threads.put(group, round(seconds)));
        node.put("readyMillis", s.readyMillis());
        node.put("firstResultMillis", s.firstResultMillis());
        putNumber(node, "jitCompilingSeconds", s.jitSeconds());
        ObjectNode producers = node.putObject("producerMetrics");
        s.producers().forEach((producer, values) -> {
            ObjectNode p = producers.putObject(producer);
            values.forEach((attribute, value) -> putNumber(p, attribute, value));
        });
    }

    private static void journalCost(ObjectNode node, JournalCostProbe.Result result) {
        CostRounds.Plan plan = result.plan();
        node.put("concurrency", plan.concurrency());
        node.put("rounds", plan.pairs());
        node.put("order", "rounds of one window of each setup per latency, the setups' order rotating from round to round "
                + "(a b c, b c a, c a b); windows[i].order is the place in the run, windows[i].round the round");
        ObjectNode setups = node.putObject("setups");
        for (JournalCostProbe.Variant v : JournalCostProbe.Variant.values()) {
            ObjectNode s = setups.putObject(v.json);
            s.put("letter", v.letter);
            s.put("journal", v.journal);
            s.put("delivery", v.delivery.name());
        }
        node.put("jitWarmupSecondsEach", plan.jitWarmup().toSeconds());
        result.warmupJitShares().forEach(node.putArray("warmupRoundsJitCompilingShare")::add);
        costRows(node.putArray("rows"), List.of(JournalCostProbe.Variant.values()), JournalCostProbe.RATIOS, result.rows(),
                (window, w) -> { });
    }

    private static void budgetCost(ObjectNode node, BudgetCostProbe.Result result) {
        CostRounds.Plan plan = result.plan();
        node.put("concurrency", plan.concurrency());
        node.put("rounds", plan.pairs());
        node.put("order", "rounds of one window of each setup per latency, the setups' order alternating from round to round "
                + "(a b, b a); windows[i].order is the place in the run, windows[i].round the round");
        node.put("tenant", BudgetCostProbe.TENANT);
        ObjectNode setups = node.putObject("setups");
        for (BudgetCostProbe.Setup v : result.setups()) {
            ObjectNode s = setups.putObject(v.json());
            s.put("letter", v.letter());
            s.put("label", v.label());
            s.put("limited", v.limited());
            s.put("budgetScope", "FLEET");
            if (v.limited()) {
                s.put("limitTokens", result.rule().limit().toString());
                s.put("windowSeconds", result.rule().window().toSeconds());
            }
        }
        node.put("jitWarmupSecondsEach", plan.jitWarmup().toSeconds());
        result.warmupJitShares().forEach(node.putArray("warmupRoundsJitCompilingShare")::add);
        costRows(node.putArray("rows"), result.setups(), BudgetCostProbe.ratios(result.setups()), result.rows(),
                (window, w) -> tally(window.putObject("budgetLog"), result.tally(w)));
        ObjectNode totals = node.putObject("budgetLogTotals");
        for (BudgetCostProbe.Setup v : result.setups()) {
            tally(totals.putObject(v.json()), result.total(v));
        }
        ObjectNode trip = node.putObject("reservationRoundTrip");
        BudgetLogProbe.Load load = result.logLoad();
        trip.put("warmupEach", load.warmup());
        if (result.log() == null) {
            trip.put("failure", result.logFailure());
            return;
        }
        BudgetLogSample s = result.log();
        timing(trip.putObject("reserveSequential"), s.sequential());
        ObjectNode concurrent = trip.putObject("reserveConcurrent");
        concurrent.put("inFlight", s.inFlight());
        putNumber(concurrent, "decisionsPerSecond", s.concurrentPerSecond());
        timing(concurrent, s.concurrent());
        timing(trip.putObject("settleAcknowledged"), s.settleAck());
        timing(trip.putObject("settleApplied"), s.settleReadBack());
    }

    private static void timing(ObjectNode node, BudgetLogSample.Timing t) {
        node.put("count", t.count());
        putNumber(node, "p50Micros", t.p50Micros());
        putNumber(node, "p99Micros", t.p99Micros());
        putNumber(node, "maxMicros", t.maxMicros());
    }

    private static void tally(ObjectNode node, BudgetLogTally t) {
        node.put("records", t.records());
        node.put("reserves", t.reserves());
        node.put("granted", t.granted());
        node.put("reused", t.reused());
        node.put("refused", t.refused());
        node.put("settledOrReleased", t.closed());
        node.put("ignored", t.ignored());
        node.put("unreadable", t.unreadable());
        node.put("openAtEnd", t.openAtEnd());
        node.put("peakHeldTokens", t.peakHeld().toString());
    }

    /** One object per L: each setup's spreads and windows ({@code window} adds to each window's object), the ratios, the threads. */
    private static void costRows(ArrayNode latencies, List<? extends CostSetup> setups, List<CostRounds.Ratio> ratios,
                                 List<CostRow> rows, BiConsumer<ObjectNode, CostRow.Window> window) {
        for (CostRow row : rows) {
            ObjectNode r = latencies.addObject();
            r.put("latencyMillis", row.latency().millis());
            for (CostSetup v : setups) {
                ObjectNode side = r.putObject(v.json());
                spread(side.putObject("jobsPerSecond"), row.jobsPerSecond(v));
                spread(side.putObject("workerCpuSecondsPerThousandJobs"), row.workerCpuPerThousand(v));
                spread(side.putObject("benchCpuSecondsPerThousandJobs"), row.benchCpuPerThousand(v));
                spread(side.putObject("firstResultMillis"), row.firstResultMillis(v));
                spread(side.putObject("competingCores"), row.competingCores(v));
                ArrayNode windows = side.putArray("windows");
                row.windows().stream().filter(w -> w.variant() == v).forEach(w -> {
                    ObjectNode o = windows.addObject();
                    o.put("order", w.order());
                    o.put("round", w.round());
                    sample(o, w.sample());
                    window.accept(o, w);
                });
            }
            ObjectNode ratioNode = r.putObject("ratiosRoundByRound");
            for (CostRounds.Ratio ratio : ratios) {
                ObjectNode q = ratioNode.putObject(ratio.json());
                q.put("of", ratio.numerator().letter() + " / " + ratio.denominator().letter());
                spread(q.putObject("jobsPerSecond"),
                        row.roundRatio(ThroughputSample::jobsPerSecond, ratio.numerator(), ratio.denominator()));
                spread(q.putObject("workerCpuSecondsPerThousandJobs"),
                        row.roundRatio(ThroughputSample::subjectCpuSecondsPerThousand, ratio.numerator(), ratio.denominator()));
                spread(q.putObject("benchCpuSecondsPerThousandJobs"),
                        row.roundRatio(ThroughputSample::benchCpuSecondsPerThousand, ratio.numerator(), ratio.denominator()));
            }
            ObjectNode threads = r.putObject("workerCpuSecondsPerThousandJobsByThread");
            row.workerCpuByGroup().forEach((group, bySetup) -> {
                ObjectNode t = threads.putObject(group);
                for (int i = 0; i < setups.size(); i++) {
                    putNumber(t, setups.get(i).json(), bySetup[i]);
                }
            });
        }
    }

    private static void spread(ObjectNode node, Spread s) {
        putNumber(node, "median", s.median());
        putNumber(node, "min", s.min());
        putNumber(node, "max", s.max());
        node.put("count", s.count());
    }

    private static void memory(ObjectNode node, MemorySample s) {
        node.put("system", s.subject().label());
        node.put("arrangement", s.arrangement());
        node.put("jobsInFlight", s.inFlight());
        if (!s.ok()) {
            node.put("skipped", s.skipped());
            return;
        }
        node.put("generationsAtGivon", s.atGivon());
        node.put("generationsCreated", s.generationsCreated());
        node.put("heapBytesBefore", s.heapBefore());
        node.put("heapBytesAfter", s.heapAfter());
        putNumber(node, "heapBytesPerJob", s.heapBytesPerJob());
        node.put("rssBytesBefore", s.rssBefore());
        node.put("rssBytesAfter", s.rssAfter());
        putNumber(node, "rssBytesPerJob", s.rssBytesPerJob());
        node.put("threadsBefore", s.threadsBefore());
        node.put("threadsAfter", s.threadsAfter());
        node.put("seconds", round(s.seconds()));
    }

    private static void decode(ObjectNode node, DecodeSample s) {
        node.put("record", s.record());
        node.put("bytes", s.bytes());
        node.put("outcome", s.outcome());
        node.put("calls", s.calls());
        putNumber(node, "medianMicros", s.medianMicros());
        putNumber(node, "p99Micros", s.p99Micros());
        putNumber(node, "maxMicros", s.maxMicros());
    }

    private static void journal(ObjectNode node, JournalSample s) {
        node.put("sequentialWrites", s.sequentialWrites());
        putNumber(node, "writeP50Micros", s.writeP50Micros());
        putNumber(node, "writeP99Micros", s.writeP99Micros());
        putNumber(node, "writeMaxMicros", s.writeMaxMicros());
        node.put("pipelinedWrites", s.pipelinedWrites());
        node.put("inFlight", s.inFlight());
        putNumber(node, "pipelinedWritesPerSecond", s.pipelinedWritesPerSecond());
        node.put("restoredJobs", s.jobs());
        node.put("restoredRecords", s.records());
        node.put("restores", s.restores());
        putNumber(node, "firstRestoreMillis", s.firstRestoreMillis());
        putNumber(node, "medianRestoreMillis", s.medianRestoreMillis());
        putNumber(node, "maxRestoreMillis", s.maxRestoreMillis());
    }

    private static void correctness(ObjectNode node, CorrectnessSample s) {
        node.put("system", s.subject().label());
        node.put("jobs", s.jobs());
        node.put("results", s.results());
        node.put("lost", s.lost());
        node.put("duplicated", s.duplicated());
        ObjectNode statuses = node.putObject("resultsByStatus");
        s.byStatus().forEach((status, n) -> statuses.put(status.name(), n));
        node.put("generationsCreated", s.generationsCreated());
        node.put("maxGenerationsPerJob", s.maxGenerationsPerJob());
        node.put("tokensCharged", s.charged().toString());
        node.put("tokensInResults", s.resultCost().toString());
        if (s.budget() != null) {
            node.put("budgetTokens", s.budget().toString());
        }
        node.put("withinBudget", s.withinBudget());
        node.put("committedAtLogEnd", s.committedAtLogEnd());
        node.put("seconds", round(s.seconds()));
        node.put("ok", s.ok());
        if (s.failure() != null) {
            node.put("failure", s.failure());
        }
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, round(value));
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
