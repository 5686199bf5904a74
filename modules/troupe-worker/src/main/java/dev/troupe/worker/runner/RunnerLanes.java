package dev.troupe.worker.runner;

import dev.troupe.worker.consumer.JobRecord;
import dev.troupe.worker.consumer.JobSink;
import dev.troupe.worker.journal.JournalRestore;
import dev.troupe.worker.limit.ConcurrencyLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;

/**
 * The job runner on several event loops: every job of a partition runs on one {@link JobRunner} (a
 * lane, on an event-loop context of its own), so that a lane needs no lock, and the lanes together use
 * every core. A partition seen for the first time goes to the lane that has the fewest, and stays
 * there for the worker's life (a partition assigned again returns to the lane that handed it back).
 * The lanes share the limiter, the budgets, the Givon client, the journal and the result publisher,
 * all thread-safe; a lane whose queue waits for a slot that another lane holds is woken when that slot
 * is given back. Each lane keeps its own Givon gate: an account hold reaches the others through the
 * fleet's holds, or their own next answer. Every {@link JobSink} call comes from the consumer thread,
 * which alone routes.
 */
public final class RunnerLanes implements JobSink {

    private final List<JobRunner> lanes;
    private final AtomicBoolean[] wanting;
    /** Consumer thread only. */
    private final Map<TopicPartition, Integer> laneOf = new HashMap<>();
    private final Set<TopicPartition> owned = new HashSet<>();
    private final int[] ownedByLane;

    public RunnerLanes(List<JobRunner> lanes, ConcurrencyLimiter limiter) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("at least one lane");
        }
        this.lanes = List.copyOf(lanes);
        this.wanting = new AtomicBoolean[lanes.size()];
        this.ownedByLane = new int[lanes.size()];
        if (lanes.size() > 1) {
            for (int i = 0; i < lanes.size(); i++) {
                AtomicBoolean flag = new AtomicBoolean();
                wanting[i] = flag;
                lanes.get(i).onSlotWanted(() -> flag.set(true));
            }
            limiter.onRelease(this::slotGivenBack);
        }
    }

    /** Event loops the jobs run on. */
    public int size() {
        return lanes.size();
    }

    /** Any thread: wakes the lanes waiting for a slot (their pump runs on their own event loop). */
    private void slotGivenBack() {
        for (int i = 0; i < wanting.length; i++) {
            if (wanting[i].get() && wanting[i].compareAndSet(true, false)) {
                lanes.get(i).slotsGrew();
            }
        }
    }

    private int laneFor(TopicPartition partition) {
        Integer lane = laneOf.get(partition);
        if (lane == null) {
            int fewest = 0;
            for (int i = 1; i < ownedByLane.length; i++) {
                if (ownedByLane[i] < ownedByLane[fewest]) {
                    fewest = i;
                }
            }
            lane = fewest;
            laneOf.put(partition, lane);
        }
        if (owned.add(partition)) {
            ownedByLane[lane]++;
        }
        return lane;
    }

    // ---- JobSink (the consumer thread) ---------------------------------------------------------

    @Override
    public void restored(JournalRestore restore, long assignment, Runnable counted) {
        lanes.get(lanes.size() == 1 ? 0 : laneFor(restore.partition())).restored(restore, assignment, counted);
    }

    @Override
    public void deliver(List<JobRecord> records) {
        if (lanes.size() == 1) {
            lanes.get(0).deliver(records);
            return;
        }
        List<List<JobRecord>> byLane = new ArrayList<>(lanes.size());
        for (int i = 0; i < lanes.size(); i++) {
            byLane.add(new ArrayList<>());
        }
        for (JobRecord record : records) {
            byLane.get(laneFor(record.partition())).add(record); // offset order per partition is kept
        }
        for (int i = 0; i < lanes.size(); i++) {
            if (!byLane.get(i).isEmpty()) {
                lanes.get(i).deliver(byLane.get(i));
            }
        }
    }

    /** Each lane hands its share of the partitions back on its own; the consumer waits for every partition. */
    @Override
    public void revoke(Collection<TopicPartition> partitions, Duration grace) {
        if (lanes.size() == 1) {
            lanes.get(0).revoke(partitions, grace);
            return;
        }
        List<List<TopicPartition>> byLane = new ArrayList<>(lanes.size());
        for (int i = 0; i < lanes.size(); i++) {
            byLane.add(new ArrayList<>());
        }
        for (TopicPartition partition : partitions) {
            int lane = laneFor(partition); // a partition that brought nothing is handed back too
            byLane.get(lane).add(partition);
            owned.remove(partition);
            ownedByLane[lane]--;
        }
        for (int i = 0; i < lanes.size(); i++) {
            if (!byLane.get(i).isEmpty()) {
                lanes.get(i).revoke(byLane.get(i), grace);
            }
        }
    }

    @Override
    public int parkedRecords() {
        int sum = 0;
        for (JobRunner lane : lanes) {
            sum += lane.parkedRecords();
        }
        return sum;
    }

    @Override
    public long parkedBytes() {
        long sum = 0;
        for (JobRunner lane : lanes) {
            sum += lane.parkedBytes();
        }
        return sum;
    }

    // ---- the worker's calls (any thread) -------------------------------------------------------

    /** Jobs parked on spent budgets, in memory or in the journal. */
    public int parkedJobs() {
        int sum = 0;
        for (JobRunner lane : lanes) {
            sum += lane.parkedJobs();
        }
        return sum;
    }

    /** This budget's parked jobs, in memory or in the journal only. */
    public int parked(String budgetKey, boolean inMemory) {
        int sum = 0;
        for (JobRunner lane : lanes) {
            sum += lane.parked(budgetKey, inMemory);
        }
        return sum;
    }

    /** Until when submissions are held because the account cannot pay, by the lane that heard it last. */
    public Instant outOfTokensUntil() {
        Instant until = Instant.EPOCH;
        for (JobRunner lane : lanes) {
            Instant mine = lane.outOfTokensUntil();
            if (mine.isAfter(until)) {
                until = mine;
            }
        }
        return until;
    }

    public void controlsChanged() {
        lanes.forEach(JobRunner::controlsChanged);
    }

    public void slotsGrew() {
        lanes.forEach(JobRunner::slotsGrew);
    }

    public void accountHeld(Instant until, String reason) {
        lanes.forEach(lane -> lane.accountHeld(until, reason));
    }

    public void capacityFreed(String budgetKey) {
        lanes.forEach(lane -> lane.capacityFreed(budgetKey));
    }

    public void checkGivonAtStart() {
        lanes.forEach(JobRunner::checkGivonAtStart);
    }

    public void close() {
        lanes.forEach(JobRunner::close);
    }

    public boolean givonReady() {
        return lanes.stream().allMatch(JobRunner::givonReady);
    }

    public boolean givonCircuitOpen() {
        return lanes.stream().anyMatch(JobRunner::givonCircuitOpen);
    }

    public boolean givonKeyRefused() {
        return lanes.stream().anyMatch(JobRunner::givonKeyRefused);
    }
}
