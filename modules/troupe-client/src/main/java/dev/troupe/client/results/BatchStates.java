package dev.troupe.client.results;

import dev.troupe.model.JobResult;
import dev.troupe.model.ProgressEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The latest progress event of each job of one batch (of its latest run), and the jobs with a result,
 * so that a watch can say how many are queued, parked, at Givon and finished. Events of other batches
 * and of earlier runs are ignored; an event read out of order (an older one after a newer one of the
 * same run, from two workers) does not move a job back. Thread-safe: a feed writes, a view reads.
 */
public final class BatchStates {

    private final String batchId;
    /** The jobs of the batch, each with the run awaited; null when only their count is known (a descriptor). */
    private final Map<String, Integer> runs;
    private final int jobs;
    private final Map<String, ProgressEvent> latest = new HashMap<>();
    private final Set<String> withResult = new HashSet<>();

    public BatchStates(String batchId, Map<String, Integer> runs) {
        this.batchId = batchId;
        this.runs = Map.copyOf(runs);
        this.jobs = runs.size();
    }

    /**
     * A batch known by its descriptor's job count only: any job of the batch counts, at the latest run
     * seen; the jobs no event or result has named yet are queued.
     */
    public BatchStates(String batchId, int jobs) {
        this.batchId = batchId;
        this.runs = null;
        this.jobs = jobs;
    }

    public synchronized void accept(ProgressEvent event) {
        if (!batchId.equals(event.batchId())) {
            return;
        }
        ProgressEvent before = latest.get(event.jobId());
        if (runs == null) {
            if (before != null && event.run() != before.run()) {
                if (event.run() < before.run()) {
                    return;
                }
                before = null; // a later run starts over
            }
        } else {
            Integer awaited = runs.get(event.jobId());
            if (awaited == null || event.run() != awaited) {
                return;
            }
        }
        if (before != null && (before.kind() == ProgressEvent.Kind.FINISHED || event.at().isBefore(before.at()))) {
            return;
        }
        latest.put(event.jobId(), event);
    }

    public synchronized void accept(JobResult result) {
        if (runs == null) {
            if (batchId.equals(result.batchId())) {
                withResult.add(result.jobId());
            }
            return;
        }
        Integer awaited = runs.get(result.jobId());
        if (awaited != null && result.run() >= awaited) {
            withResult.add(result.jobId());
        }
    }

    public synchronized JobStates states() {
        int queued = 0;
        int parked = 0;
        int held = 0;
        int atGivon = 0;
        int finished = 0;
        Map<String, Instant> parkedBy = new TreeMap<>();
        Set<String> known = runs != null ? runs.keySet() : new HashSet<>(latest.keySet());
        if (runs == null) {
            known.addAll(withResult);
            queued += Math.max(0, jobs - known.size()); // not named by any event or result yet
        }
        for (String jobId : known) {
            ProgressEvent event = latest.get(jobId);
            if (withResult.contains(jobId)) {
                finished++;
                continue;
            }
            if (event == null) {
                queued++; // not taken by a worker yet (or its events were lost)
                continue;
            }
            switch (event.kind()) {
                case ADMITTED, RETRYING -> queued++;
                case PARKED -> {
                    parked++;
                    parkedBy.merge(event.tenant() == null ? "default" : event.tenant(), event.resumesAt(),
                            (a, b) -> a.isBefore(b) ? a : b);
                }
                case HELD -> held++;
                case SUBMITTED -> atGivon++;
                case FINISHED -> finished++;
            }
        }
        return new JobStates(queued, parked, parkedBy, held, atGivon, finished);
    }
}
