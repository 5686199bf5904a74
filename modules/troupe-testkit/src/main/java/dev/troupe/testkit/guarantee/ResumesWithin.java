package dev.troupe.testkit.guarantee;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A rebalance does not stall a partition (DESIGN.md "The job journal"): after a hand-over, every
 * partition consumes again within a limit. Measured with probes: a job produced to each partition
 * after the hand-over must be taken up (submitted to Givon, or answered) within the limit of the
 * moment the hand-over began.
 *
 * <pre>{@code
 * ResumesWithin resumes = ResumesWithin.of(Duration.ofSeconds(10));
 * ResumesWithin.HandOver handOver = resumes.handOver("worker A closes");   // the clock starts here
 * ... close A, produce a probe job to each partition, handOver.probe(partition, jobId) ...
 * await().atMost(handOver.remaining()).until(() -> handOver.resumed(id -> ledger.snapshot().generationsFor(id) > 0));
 * ... at the end: Guarantees.assertAll(resumes, ...)
 * }</pre>
 *
 * Thread-safe; time is the JVM's monotonic clock.
 */
public final class ResumesWithin implements Guarantee {

    private final Duration limit;
    private final List<HandOver> handOvers = new ArrayList<>();

    private ResumesWithin(Duration limit) {
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    public static ResumesWithin of(Duration limit) {
        return new ResumesWithin(limit);
    }

    /** Starts timing a hand-over now: call it just before the step that moves partitions. */
    public synchronized HandOver handOver(String what) {
        HandOver handOver = new HandOver(what, System.nanoTime());
        handOvers.add(handOver);
        return handOver;
    }

    /**
     * Looks at every hand-over's probes not yet taken up, so that one taken up late is reported with
     * how late, not only as "not taken up". Poll it while the scenario settles.
     */
    public synchronized void lookAgain(Predicate<String> takenUp) {
        handOvers.forEach(h -> h.resumed(takenUp));
    }

    /** One hand-over and its probes. */
    public final class HandOver {

        private final String what;
        private final long startNanos;
        /** Probe jobId to the partition it went to. */
        private final Map<String, String> partitionOf = new LinkedHashMap<>();
        /** Probe jobId to nanoseconds after the start at which it was first seen taken up. */
        private final Map<String, Long> takenUpAfter = new LinkedHashMap<>();

        private HandOver(String what, long startNanos) {
            this.what = what;
            this.startNanos = startNanos;
        }

        /** A job produced after the hand-over began, to {@code partition}; it must be taken up in time. */
        public HandOver probe(String partition, String jobId) {
            synchronized (ResumesWithin.this) {
                partitionOf.put(Objects.requireNonNull(jobId, "jobId"), Objects.requireNonNull(partition, "partition"));
            }
            return this;
        }

        /**
         * Asks {@code takenUp} about every probe not yet seen taken up, notes when each first is; true
         * once all are. Poll it often (Awaitility's default 100 ms): the time noted is that of the poll.
         */
        public boolean resumed(Predicate<String> takenUp) {
            synchronized (ResumesWithin.this) {
                long now = System.nanoTime() - startNanos;
                for (String jobId : partitionOf.keySet()) {
                    if (!takenUpAfter.containsKey(jobId) && takenUp.test(jobId)) {
                        takenUpAfter.put(jobId, now);
                    }
                }
                return takenUpAfter.size() == partitionOf.size();
            }
        }

        /** What is left of the limit since the hand-over began (at least 100 ms, so that a late poll still looks once). */
        public Duration remaining() {
            Duration left = limit.minusNanos(System.nanoTime() - startNanos);
            return left.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : left;
        }
    }

    @Override
    public synchronized Verdict verdict() {
        List<String> breaches = new ArrayList<>();
        long slowest = 0;
        int probes = 0;
        for (HandOver h : handOvers) {
            if (h.partitionOf.isEmpty()) {
                breaches.add("hand-over '" + h.what + "': no partition was probed, so it cannot be said to resume");
            }
            for (Map.Entry<String, String> probe : h.partitionOf.entrySet()) {
                probes++;
                Long after = h.takenUpAfter.get(probe.getKey());
                if (after == null) {
                    breaches.add("hand-over '" + h.what + "': partition " + probe.getValue() + " had not taken up probe job "
                            + probe.getKey() + " when last looked at (limit " + seconds(limit.toNanos()) + ")");
                } else if (after > limit.toNanos()) {
                    breaches.add("hand-over '" + h.what + "': partition " + probe.getValue() + " took up probe job " + probe.getKey()
                            + " only " + seconds(after) + " after the hand-over began (limit " + seconds(limit.toNanos()) + ")");
                } else {
                    slowest = Math.max(slowest, after);
                }
            }
        }
        String what = handOvers.size() + " hand-overs, " + probes + " partitions probed, limit " + seconds(limit.toNanos());
        if (breaches.isEmpty()) {
            return new Verdict("ResumesWithin", what + "; the slowest partition resumed " + seconds(slowest) + " after its hand-over",
                    breaches);
        }
        return new Verdict("ResumesWithin", breaches.size() + " partitions stalled past the limit; " + what, breaches);
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
