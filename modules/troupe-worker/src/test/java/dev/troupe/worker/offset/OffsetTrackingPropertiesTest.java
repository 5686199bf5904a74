package dev.troupe.worker.offset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Random partitions of offsets with gaps, tracked, completed in random order and committed at
 * random moments (optionally with revocations), checked against a plain model after every step.
 */
class OffsetTrackingPropertiesTest {

    @Property(tries = 300)
    void commitsNeverPassAnUnfinishedJobAndEndJustAfterTheLastRecord(
            @ForAll("offsetsPerPartition") List<List<Long>> offsetsPerPartition,
            @ForAll @Size(max = 600) List<@IntRange(min = 0, max = 1_000_000) Integer> steps,
            @ForAll long drainSeed) {
        Run run = new Run(offsetsPerPartition, false);
        steps.forEach(run::step);
        run.drain(new Random(drainSeed));
    }

    @Property(tries = 300)
    void revocationHandsBackOnlySafeCommitsAndLateCompletionsChangeNothing(
            @ForAll("offsetsPerPartition") List<List<Long>> offsetsPerPartition,
            @ForAll @Size(max = 600) List<@IntRange(min = 0, max = 1_000_000) Integer> steps,
            @ForAll long drainSeed) {
        Run run = new Run(offsetsPerPartition, true);
        steps.forEach(run::step);
        run.drain(new Random(drainSeed));
    }

    @Provide
    Arbitrary<List<List<Long>>> offsetsPerPartition() {
        // Mostly consecutive offsets, with holes as transaction markers and compaction leave them.
        Arbitrary<Integer> gap = Arbitraries.frequency(Tuple.of(6, 1), Tuple.of(2, 2), Tuple.of(1, 9));
        Arbitrary<List<Long>> partition = Combinators
                .combine(Arbitraries.longs().between(0, 1_000_000), gap.list().ofMinSize(1).ofMaxSize(80))
                .as((start, gaps) -> {
                    List<Long> offsets = new ArrayList<>();
                    long offset = start;
                    for (int g : gaps) {
                        offsets.add(offset);
                        offset += g;
                    }
                    return offsets;
                });
        return partition.list().ofMinSize(1).ofMaxSize(4);
    }

    /** The tracker under test next to a model of what has been tracked, finished and committed. */
    private static final class Run {
        private final OffsetTracker tracker = new OffsetTracker();
        private final boolean revocations;
        private final List<TopicPartition> partitions = new ArrayList<>();
        private final List<List<Long>> offsets;
        private final int[] nextToTrack;
        private final List<TreeSet<Long>> unfinished = new ArrayList<>();
        private final List<Set<Long>> finished = new ArrayList<>();
        private final long[] lastCommitted;
        private final boolean[] revoked;

        Run(List<List<Long>> offsets, boolean revocations) {
            this.offsets = offsets;
            this.revocations = revocations;
            for (int p = 0; p < offsets.size(); p++) {
                partitions.add(new TopicPartition("troupe.jobs", p));
                unfinished.add(new TreeSet<>());
                finished.add(new HashSet<>());
            }
            nextToTrack = new int[offsets.size()];
            lastCommitted = new long[offsets.size()];
            Arrays.fill(lastCommitted, -1);
            revoked = new boolean[offsets.size()];
        }

        void step(int choice) {
            int p = choice % partitions.size();
            int arg = choice / partitions.size();
            switch (arg % 10) {
                case 0, 1, 2, 3 -> trackNext(p);
                case 4, 5, 6 -> completeOne(p, arg / 10);
                case 7, 8 -> commit();
                default -> {
                    if (revocations) {
                        revoke(p);
                    } else {
                        completeStray(p, arg / 10);
                    }
                }
            }
            assertThat(tracker.inFlight()).isEqualTo(expectedInFlight());
        }

        void drain(Random random) {
            for (int p = 0; p < partitions.size(); p++) {
                while (!revoked[p] && nextToTrack[p] < offsets.get(p).size()) {
                    trackNext(p);
                }
            }
            while (anyUnfinished()) {
                int p = random.nextInt(partitions.size());
                if (!unfinished.get(p).isEmpty()) {
                    completeOne(p, random.nextInt(Integer.MAX_VALUE));
                }
                if (random.nextInt(4) == 0) {
                    commit();
                }
            }
            commit();
            for (int p = 0; p < partitions.size(); p++) {
                if (!revoked[p] && nextToTrack[p] > 0) {
                    List<Long> all = offsets.get(p);
                    assertThat(lastCommitted[p]).as("final commit of %s", partitions.get(p))
                            .isEqualTo(all.get(all.size() - 1) + 1);
                }
            }
            assertThat(tracker.inFlight()).isZero();
        }

        private void trackNext(int p) {
            if (revoked[p] || nextToTrack[p] >= offsets.get(p).size()) {
                return;
            }
            long offset = offsets.get(p).get(nextToTrack[p]++);
            tracker.track(partitions.get(p), offset);
            unfinished.get(p).add(offset);
        }

        private void completeOne(int p, int pick) {
            TreeSet<Long> pending = unfinished.get(p);
            if (pending.isEmpty()) {
                completeStray(p, pick);
                return;
            }
            long offset = new ArrayList<>(pending).get(pick % pending.size());
            boolean applied = tracker.complete(partitions.get(p), offset);
            if (revoked[p]) {
                // The record goes to the new owner: the completion must change nothing here.
                assertThat(applied).as("completion after revocation").isFalse();
                assertThat(tracker.inFlight(partitions.get(p))).isZero();
                pending.remove(offset);
                return;
            }
            assertThat(applied).isTrue();
            pending.remove(offset);
            finished.get(p).add(offset);
        }

        /** Completes an offset already finished or never tracked: always ignored. */
        private void completeStray(int p, int pick) {
            long offset;
            if (!finished.get(p).isEmpty() && pick % 2 == 0) {
                offset = new ArrayList<>(finished.get(p)).get(pick % finished.get(p).size());
            } else {
                List<Long> all = offsets.get(p);
                offset = all.get(0) + pick % (all.get(all.size() - 1) - all.get(0) + 3);
                if (unfinished.get(p).contains(offset)) {
                    return;
                }
            }
            assertThat(tracker.complete(partitions.get(p), offset)).as("stray completion %d", offset).isFalse();
        }

        private void commit() {
            Map<TopicPartition, OffsetAndMetadata> due = tracker.commitsDue();
            for (int p = 0; p < partitions.size(); p++) {
                TopicPartition partition = partitions.get(p);
                if (revoked[p] || nextToTrack[p] == 0) {
                    assertThat(due).as("revoked or idle partition").doesNotContainKey(partition);
                    continue;
                }
                long expected = safeCommit(p);
                if (expected > lastCommitted[p]) {
                    assertThat(due).as("advanced partition is due").containsKey(partition);
                } else {
                    assertThat(due).as("unchanged partition is not due").doesNotContainKey(partition);
                    continue;
                }
                long offset = due.get(partition).offset();
                assertCommitIsSafe(p, offset);
                assertThat(offset).as("monotonic").isGreaterThan(lastCommitted[p]);
                lastCommitted[p] = offset;
            }
        }

        private void revoke(int p) {
            TopicPartition partition = partitions.get(p);
            Map<TopicPartition, OffsetAndMetadata> commits = tracker.revoke(List.of(partition));
            if (revoked[p] || nextToTrack[p] == 0) {
                assertThat(commits).isEmpty();
            } else {
                long offset = commits.get(partition).offset();
                assertCommitIsSafe(p, offset);
                assertThat(offset).as("monotonic").isGreaterThanOrEqualTo(lastCommitted[p]);
                lastCommitted[p] = offset;
            }
            revoked[p] = true;
            assertThat(tracker.inFlight(partition)).isZero();
            assertThat(tracker.partitions()).doesNotContain(partition);
        }

        private void assertCommitIsSafe(int p, long offset) {
            if (!unfinished.get(p).isEmpty()) {
                assertThat(offset).as("never past the lowest unfinished job")
                        .isLessThanOrEqualTo(unfinished.get(p).first());
            }
            assertThat(offset).as("exactly the safe commit").isEqualTo(safeCommit(p));
        }

        private long safeCommit(int p) {
            TreeSet<Long> pending = unfinished.get(p);
            return pending.isEmpty() ? offsets.get(p).get(nextToTrack[p] - 1) + 1 : pending.first();
        }

        private int expectedInFlight() {
            int total = 0;
            for (int p = 0; p < partitions.size(); p++) {
                if (!revoked[p]) {
                    total += unfinished.get(p).size();
                }
            }
            return total;
        }

        private boolean anyUnfinished() {
            return unfinished.stream().anyMatch(set -> !set.isEmpty());
        }
    }
}
