package dev.troupe.worker.runner;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The jobIds this worker has in flight or finished lately, so a repeated jobId is not submitted (and
 * paid) again. Bounded: the oldest finished ids fall out first; in-flight ids are never evicted.
 * Confined to the runner's event loop.
 */
final class RecentJobIds {

    enum Seen { NEW, IN_FLIGHT, FINISHED }

    private final int finishedCapacity;
    private final Set<String> inFlight = new HashSet<>();
    private final LinkedHashSet<String> finished = new LinkedHashSet<>();

    RecentJobIds(int finishedCapacity) {
        this.finishedCapacity = finishedCapacity;
    }

    /** Records {@code jobId} as in flight if it is new; says what was known before. */
    Seen admit(String jobId) {
        if (finished.contains(jobId)) {
            return Seen.FINISHED;
        }
        return inFlight.add(jobId) ? Seen.NEW : Seen.IN_FLIGHT;
    }

    void finished(String jobId) {
        inFlight.remove(jobId);
        finished.add(jobId);
        if (finished.size() > finishedCapacity) {
            Iterator<String> oldest = finished.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The job was handed back unsubmitted (partition revoked): whoever runs it next may run it. */
    void forget(String jobId) {
        inFlight.remove(jobId);
    }
}
