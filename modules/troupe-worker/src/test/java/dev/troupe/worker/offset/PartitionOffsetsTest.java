package dev.troupe.worker.offset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    private final PartitionOffsets offsets = new PartitionOffsets();

    @Test
    void nothingIsCommittableBeforeAnyRecordIsTracked() {
        assertThat(offsets.committable()).isEmpty();
        assertThat(offsets.inFlight()).isZero();
    }

    @Test
    void commitStaysAtTheOldestUnfinishedJobWhileLaterOnesFinish() {
        offsets.track(10);
        offsets.track(11);
        offsets.track(12);

        offsets.complete(12);
        offsets.complete(11);

        assertThat(offsets.committable()).hasValue(10);
        assertThat(offsets.inFlight()).isEqualTo(1);
    }

    @Test
    void commitJumpsPastEverythingFinishedOnceTheOldestJobEnds() {
        offsets.track(10);
        offsets.track(11);
        offsets.track(12);
        offsets.track(13);
        offsets.complete(11);
        offsets.complete(12);

        offsets.complete(10);

        assertThat(offsets.committable()).hasValue(13);
    }

    @Test
    void whenEverythingIsFinishedTheCommitIsTheNextOffsetToRead() {
        offsets.track(5);
        offsets.track(6);
        offsets.complete(6);
        offsets.complete(5);

        assertThat(offsets.committable()).hasValue(7);
        assertThat(offsets.inFlight()).isZero();
    }

    @Test
    void gapsLeftByTransactionMarkersAreNeverAssumedToBeRecords() {
        // 100, 101 data; 102 a commit marker; 103 data; 104..109 compacted away; 110 data
        offsets.track(100);
        offsets.track(101);
        offsets.track(103);
        offsets.track(110);

        offsets.complete(100);
        offsets.complete(101);
        assertThat(offsets.committable()).hasValue(103);

        offsets.complete(103);
        assertThat(offsets.committable()).hasValue(110);

        offsets.complete(110);
        assertThat(offsets.committable()).hasValue(111);
    }

    @Test
    void completingTwiceIsIgnoredAndReported() {
        offsets.track(1);
        offsets.track(2);

        assertThat(offsets.complete(2)).isTrue();
        assertThat(offsets.complete(2)).isFalse();

        assertThat(offsets.inFlight()).isEqualTo(1);
        assertThat(offsets.committable()).hasValue(1);
    }

    @Test
    void completingAnOffsetNeverTrackedIsIgnoredAndReported() {
        offsets.track(10);
        offsets.track(12);

        assertThat(offsets.complete(11)).as("a gap").isFalse();
        assertThat(offsets.complete(9)).as("before the first").isFalse();
        assertThat(offsets.complete(13)).as("after the last").isFalse();

        assertThat(offsets.inFlight()).isEqualTo(2);
        assertThat(offsets.committable()).hasValue(10);
    }

    @Test
    void completingAnOffsetAlreadyCommittedPastIsIgnored() {
        offsets.track(1);
        offsets.complete(1);

        assertThat(offsets.complete(1)).isFalse();
        assertThat(offsets.committable()).hasValue(2);
    }

    @Test
    void offsetsMustBeTrackedInIncreasingOrder() {
        offsets.track(7);

        assertThatThrownBy(() -> offsets.track(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7");
        assertThatThrownBy(() -> offsets.track(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartitionOffsets().track(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommittableOffsetNeverMovesBackWhenNewRecordsArrive() {
        offsets.track(1);
        offsets.complete(1);
        OptionalLong before = offsets.committable();

        offsets.track(4);

        assertThat(offsets.committable()).hasValue(4);
        assertThat(offsets.committable().getAsLong()).isGreaterThanOrEqualTo(before.getAsLong());
    }

    @Test
    void memoryIsReturnedOnceTheCompletedPrefixIsDropped() {
        int jobs = 50_000;
        for (int i = 0; i < jobs; i++) {
            offsets.track(i * 2L);
        }
        for (int i = 1; i < jobs; i++) {
            offsets.complete(i * 2L);
        }
        assertThat(offsets.retained()).as("blocked behind offset 0").isEqualTo(jobs);

        offsets.complete(0);

        assertThat(offsets.committable()).hasValue(jobs * 2L - 1);
        assertThat(offsets.retained()).isZero();
        assertThat(offsets.capacity()).isLessThanOrEqualTo(PartitionOffsets.MIN_CAPACITY);
    }

    @Test
    void capacityFollowsTheWindowOfUnfinishedJobsNotTheTotalSeen() {
        // a sliding window of 100 jobs over 100,000 records: storage stays near the window
        for (long i = 0; i < 100_000; i++) {
            offsets.track(i);
            if (i >= 100) {
                offsets.complete(i - 100);
            }
        }
        assertThat(offsets.inFlight()).isEqualTo(100);
        assertThat(offsets.retained()).isEqualTo(100);
        assertThat(offsets.capacity()).isLessThanOrEqualTo(512);
    }
}
