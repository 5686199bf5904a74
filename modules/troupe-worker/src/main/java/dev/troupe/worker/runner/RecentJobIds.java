package dev.troupe.worker.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The jobIds this worker has in flight or finished lately, so a repeated jobId is not submitted (and
 * paid) again, and the repeats that arrived while their job was in flight. A repeat of a job in flight
 * waits for it ({@link #await}): its record is finished when that job's result is acknowledged, not
 * before, so a commit never passes a record whose job has no result yet (a partition that comes back
 * to this worker redelivers the records of jobs still at Givon). Bounded: the oldest finished ids fall
 * out first; in-flight ids are never evicted. Confined to the runner's event loop.
 *
 * @param <W> what a waiting repeat is (the runner's admission of the record)
 */
final class RecentJobIds<W> {

    enum Seen { NEW, IN_FLIGHT, FINISHED }

    private final int finishedCapacity;
    private final Map<String, List<W>> inFlight = new HashMap<>();
    private final LinkedHashSet<String> finished = new LinkedHashSet<>();

    RecentJobIds(int finishedCapacity) {
        this.finishedCapacity = finishedCapacity;
    }

    /** Records {@code jobId} as in flight if it is new; says what was known before. */
    Seen admit(String jobId) {
        if (finished.contains(jobId)) {
            return Seen.FINISHED;
        }
        if (inFlight.containsKey(jobId)) {
            return Seen.IN_FLIGHT;
        }
        inFlight.put(jobId, List.of());
        return Seen.NEW;
    }

    /** A repeat of {@code jobId}, which is in flight ({@link Seen#IN_FLIGHT}), waits for it. */
    void await(String jobId, W repeat) {
        List<W> waiting = inFlight.get(jobId);
        if (waiting == null) {
            throw new IllegalStateException("job " + jobId + " is not in flight");
        }
        if (waiting.isEmpty()) {
            waiting = new ArrayList<>(1);
            inFlight.put(jobId, waiting);
        }
        waiting.add(repeat);
    }

    /** The job's result is acknowledged; returns the repeats that waited for it (now finished too). */
    List<W> finished(String jobId) {
        List<W> waiting = inFlight.remove(jobId);
        finished.add(jobId);
        if (finished.size() > finishedCapacity) {
            Iterator<String> oldest = finished.iterator();
            oldest.next();
            oldest.remove();
        }
        return waiting == null ? List.of() : waiting;
    }

    /**
     * The job was handed back unsubmitted (partition revoked): whoever runs it next may run it.
     * Returns the repeats that waited for it: they are records of their own and must be run now.
     */
    List<W> forget(String jobId) {
        List<W> waiting = inFlight.remove(jobId);
        return waiting == null ? List.of() : waiting;
    }
}
