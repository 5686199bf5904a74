package dev.troupe.bench;

import java.util.List;

/**
 * Everything one run measured, as the Markdown and JSON reports render it. A sample the run did not
 * measure (filtered out) is null.
 *
 * @param decode      the decode rows: the worst records' decoding time, empty when not measured
 * @param journal     the journal's write latency and restore time, or null
 * @param transactionHold how long a killed producer's transaction holds read_committed readers, or null
 * @param dispatch    the dispatch ceiling row, or null
 * @param journalCost Troupe in setups a, b, c (journal, delivery), by latency, or null
 * @param budgetCost  Troupe with an unlimited and a limited budget, by latency, and the reservation round trip, or null
 * @param correctness the correctness samples (Troupe, baseline) with the load they ran under
 * @param notes       what a reader needs to read the figures right (shortened windows, skipped rows)
 */
record BenchReport(
        String startedAt,
        double durationSeconds,
        String command,
        boolean quick,
        MachineInfo machine,
        String loadAtStart,
        String loadAtEnd,
        ThroughputProbe.Window window,
        List<DecodeSample> decode,
        JournalSample journal,
        TransactionHoldProbe.Result transactionHold,
        ThroughputRow dispatch,
        List<ThroughputRow> utilization,
        JournalCostProbe.Result journalCost,
        BudgetCostProbe.Result budgetCost,
        CorrectnessProbe.Load correctnessLoad,
        List<CorrectnessSample> correctness,
        List<MemorySample> memory,
        List<String> notes) {
}
