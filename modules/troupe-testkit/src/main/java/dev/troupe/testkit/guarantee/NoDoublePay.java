package dev.troupe.testkit.guarantee;

import dev.troupe.givon.sim.LedgerSnapshot;
import dev.troupe.givon.sim.SimulatorLedger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Guarantee 2, no double pay: no job the scenario sent made Givon create (and charge) more generations
 * than it allows, one by default, even when Givon ignores the {@code Idempotency-Key}. Read from the
 * simulator's ledger, which counts generations per {@code Idempotency-Key} (the worker sends the jobId).
 *
 * <p>Feed it the jobIds as they are sent ({@link #expect}) and the moments that matter
 * ({@link #observe}: "kill 3 of worker-2", "after the hand-over"), so a breach says when the second
 * generation appeared; {@link #verdict()} reads the ledger once more. Thread-safe.
 */
public final class NoDoublePay implements Guarantee {

    private record Observation(String moment, Map<String, Integer> generationsByJob) {}

    private final SimulatorLedger ledger;
    /** Generations each expected job may have at most. */
    private final Map<String, Integer> allowance = new LinkedHashMap<>();
    private final Map<String, String> whyAllowed = new LinkedHashMap<>();
    private final List<Observation> observations = new ArrayList<>();

    private NoDoublePay(SimulatorLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** A checker over the ledger of the simulator the workers call. */
    public static NoDoublePay on(SimulatorLedger ledger) {
        return new NoDoublePay(ledger);
    }

    /** A job the scenario sent: Givon may create at most one generation for it. */
    public synchronized NoDoublePay expect(String jobId) {
        allowance.putIfAbsent(Objects.requireNonNull(jobId, "jobId"), 1);
        return this;
    }

    public synchronized NoDoublePay expect(Collection<String> jobIds) {
        jobIds.forEach(this::expect);
        return this;
    }

    /**
     * Jobs already paid for by the time of {@code paid}: none of them may get a generation beyond those
     * it had then (a job sent again, or read again by a new consumer group, is not paid again).
     *
     * @param moment what {@code paid} was taken after, for the report ("the first group finished")
     */
    public synchronized NoDoublePay expectAlreadyPaid(LedgerSnapshot paid, String moment) {
        paid.generationsByIdempotencyKey().forEach((jobId, generations) -> {
            allowance.put(jobId, generations);
            whyAllowed.put(jobId, "already paid when " + moment);
        });
        return this;
    }

    /** Reads the ledger now and remembers it under {@code moment}; returns the snapshot read. */
    public synchronized LedgerSnapshot observe(String moment) {
        LedgerSnapshot snapshot = ledger.snapshot();
        observations.add(new Observation(moment, snapshot.generationsByIdempotencyKey()));
        return snapshot;
    }

    /** Generations Givon created for the expected jobs, now. */
    public synchronized long generations() {
        Map<String, Integer> now = ledger.snapshot().generationsByIdempotencyKey();
        return allowance.keySet().stream().mapToLong(jobId -> now.getOrDefault(jobId, 0)).sum();
    }

    @Override
    public synchronized Verdict verdict() {
        LedgerSnapshot end = ledger.snapshot();
        Map<String, Integer> now = end.generationsByIdempotencyKey();
        List<Observation> seen = new ArrayList<>(observations);
        seen.add(new Observation("the end", now));
        List<String> breaches = new ArrayList<>();
        long extra = 0;
        for (Map.Entry<String, Integer> job : allowance.entrySet()) {
            int generations = now.getOrDefault(job.getKey(), 0);
            if (generations > job.getValue()) {
                extra += generations - job.getValue();
                breaches.add("job " + job.getKey() + ": " + generations + " generations at Givon, " + job.getValue() + " allowed"
                        + (whyAllowed.containsKey(job.getKey()) ? " (" + whyAllowed.get(job.getKey()) + ")" : "")
                        + "; the one over it first seen " + firstSeenOver(seen, job.getKey(), job.getValue()));
            }
        }
        long withoutKey = end.generationsCreated() - now.values().stream().mapToLong(Integer::longValue).sum();
        if (withoutKey > 0) {
            breaches.add(withoutKey + " generations carry no Idempotency-Key: the ledger cannot tell whose they are,"
                    + " and Givon could not have deduplicated them either");
        }
        long paid = allowance.keySet().stream().mapToLong(jobId -> now.getOrDefault(jobId, 0)).sum();
        String books = paid + " generations for " + allowance.size() + " jobs (ledger: " + end.generationsCreated()
                + " created in all, " + end.activeGenerations() + " still running)";
        if (breaches.isEmpty()) {
            return new Verdict("NoDoublePay", "no job paid twice; " + books, breaches);
        }
        long offenders = breaches.stream().filter(line -> line.startsWith("job ")).count();
        return new Verdict("NoDoublePay", offenders + " of " + allowance.size() + " jobs paid more than allowed (" + extra
                + " generations too many); " + books, breaches);
    }

    /** The first observation at which the job had more generations than allowed, and the one before it. */
    private static String firstSeenOver(List<Observation> seen, String jobId, int allowed) {
        String before = "the start";
        for (Observation o : seen) {
            if (o.generationsByJob().getOrDefault(jobId, 0) > allowed) {
                return "at " + o.moment() + " (not yet at " + before + ")";
            }
            before = o.moment();
        }
        return "at the end";
    }
}
