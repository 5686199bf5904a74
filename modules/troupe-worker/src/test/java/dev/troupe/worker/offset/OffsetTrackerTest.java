package dev.troupe.worker.offset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("troupe.jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("troupe.jobs", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsOnlyUpToTheOldestUnfinishedJobOfEachPartition() {
        tracker.track(P0, 0);
        tracker.track(P0, 1);
        tracker.track(P1, 40);
        tracker.track(P1, 42);
        tracker.complete(P0, 1);
        tracker.complete(P1, 40);

        assertThat(tracker.commitsDue()).containsOnly(
                entry(P0, new OffsetAndMetadata(0)),
                entry(P1, new OffsetAndMetadata(42)));
    }

    @Test
    void aPartitionIsDueAgainOnlyWhenItsOffsetAdvanced() {
        tracker.track(P0, 0);
        tracker.track(P0, 1);
        tracker.track(P1, 7);
        assertThat(tracker.commitsDue()).containsOnlyKeys(P0, P1);

        tracker.complete(P0, 1);
        assertThat(tracker.commitsDue()).as("offset 0 still unfinished").isEmpty();

        tracker.complete(P0, 0);
        assertThat(tracker.commitsDue()).containsExactly(entry(P0, new OffsetAndMetadata(2)));
        assertThat(tracker.commitsDue()).isEmpty();
    }

    @Test
    void nothingIsDueWhenNothingWasTracked() {
        assertThat(tracker.commitsDue()).isEmpty();
    }

    @Test
    void countsJobsInFlightPerPartitionAndInTotal() {
        tracker.track(P0, 0);
        tracker.track(P0, 1);
        tracker.track(P1, 5);
        tracker.complete(P0, 0);

        assertThat(tracker.inFlight()).isEqualTo(2);
        assertThat(tracker.inFlight(P0)).isEqualTo(1);
        assertThat(tracker.inFlight(P1)).isEqualTo(1);
        assertThat(tracker.inFlight(new TopicPartition("troupe.jobs", 9))).isZero();
    }

    @Test
    void revokeHandsBackTheSafeCommitAndForgetsThePartition() {
        tracker.track(P0, 10);
        tracker.track(P0, 11);
        tracker.track(P0, 12);
        tracker.track(P1, 3);
        tracker.complete(P0, 10);
        tracker.complete(P0, 12);

        Map<TopicPartition, OffsetAndMetadata> revoked = tracker.revoke(List.of(P0));

        // 12 finished above the commit: the journal answers it for the next owner, the commit names nothing.
        assertThat(revoked).containsExactly(entry(P0, new OffsetAndMetadata(11)));
        assertThat(tracker.partitions()).containsExactly(P1);
        assertThat(tracker.inFlight()).isEqualTo(1);
        assertThat(tracker.inFlight(P0)).isZero();
    }

    @Test
    void revokeRepeatsAnOffsetAlreadyHandedOutSoTheFinalCommitIsNeverMissed() {
        tracker.track(P0, 10);
        tracker.complete(P0, 10);
        assertThat(tracker.commitsDue()).containsExactly(entry(P0, new OffsetAndMetadata(11)));

        assertThat(tracker.revoke(List.of(P0))).containsExactly(entry(P0, new OffsetAndMetadata(11)));
    }

    @Test
    void aCompletionArrivingAfterRevocationChangesNothing() {
        tracker.track(P0, 10);
        tracker.track(P0, 11);
        tracker.revoke(List.of(P0));

        assertThat(tracker.complete(P0, 10)).isFalse();

        assertThat(tracker.commitsDue()).isEmpty();
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void revokingAPartitionNeverAssignedReturnsNothing() {
        tracker.track(P1, 1);

        assertThat(tracker.revoke(List.of(P0))).isEmpty();
        assertThat(tracker.inFlight(P1)).isEqualTo(1);
    }

    @Test
    void aReassignedPartitionStartsAfresh() {
        tracker.track(P0, 10);
        tracker.revoke(List.of(P0));

        tracker.track(P0, 10);
        tracker.complete(P0, 10);

        assertThat(tracker.commitsDue()).containsExactly(entry(P0, new OffsetAndMetadata(11)));
    }

    @Test
    void aFailedCommitIsDueAgainOnTheNextCall() {
        tracker.track(P0, 0);
        tracker.complete(P0, 0);
        Map<TopicPartition, OffsetAndMetadata> due = tracker.commitsDue();

        tracker.commitFailed(due);

        assertThat(tracker.commitsDue()).containsExactly(entry(P0, new OffsetAndMetadata(1)));
    }

    @Test
    void aFailedCommitOvertakenByANewerOneIsNotRepeated() {
        tracker.track(P0, 0);
        tracker.track(P0, 1);
        tracker.complete(P0, 0);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.commitsDue();
        tracker.complete(P0, 1);
        assertThat(tracker.commitsDue()).containsExactly(entry(P0, new OffsetAndMetadata(2)));

        tracker.commitFailed(first);

        assertThat(tracker.commitsDue()).isEmpty();
    }
}
