package dev.troupe.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobStateTest {

    private static final JobState ADMITTED = new JobState.Admitted();
    private static final JobState PARKED = new JobState.Parked(Instant.EPOCH);
    private static final JobState AWAITING = new JobState.AwaitingSlot();
    private static final JobState SUBMITTING = new JobState.Submitting(1);
    private static final JobState BACKING_OFF = new JobState.BackingOff(1, Instant.EPOCH, false);
    private static final JobState FOLLOWING = new JobState.Following("gen-1");
    private static final JobState PUBLISHING = new JobState.Publishing(null);
    private static final JobState DONE = new JobState.Done(null);
    private static final JobState ABANDONED = new JobState.Abandoned();

    @Test
    void anAcceptedGenerationIsNeverSubmittedAgain() {
        assertThat(FOLLOWING.canMoveTo(AWAITING)).isFalse();
        assertThat(FOLLOWING.canMoveTo(SUBMITTING)).isFalse();
        assertThat(FOLLOWING.canMoveTo(PUBLISHING)).isTrue();
        // Handed over, the journal names the generation (or the intent): the next owner follows it (or ends it uncertain).
        assertThat(FOLLOWING.canMoveTo(ABANDONED)).isTrue();
        assertThat(SUBMITTING.canMoveTo(ABANDONED)).isTrue();
    }

    @Test
    void aGenerationTheJournalNamesIsFollowedWithoutASubmission() {
        assertThat(AWAITING.canMoveTo(FOLLOWING)).isTrue();
    }

    @Test
    void onlyJobsGivonCannotHoldMayBeAbandoned() {
        assertThat(ADMITTED.canMoveTo(ABANDONED)).isTrue();
        assertThat(PARKED.canMoveTo(ABANDONED)).isTrue();
        assertThat(AWAITING.canMoveTo(ABANDONED)).isTrue();
        assertThat(BACKING_OFF.canMoveTo(ABANDONED)).isTrue();
        // Only when its result was not published (the worker stopped, or the partition moved on): the next owner publishes it.
        assertThat(PUBLISHING.canMoveTo(ABANDONED)).isTrue();
    }

    @Test
    void terminalStatesGoNowhere() {
        for (JobState next : new JobState[] {ADMITTED, PARKED, AWAITING, SUBMITTING, BACKING_OFF, FOLLOWING, PUBLISHING, DONE, ABANDONED}) {
            assertThat(DONE.canMoveTo(next)).isFalse();
            assertThat(ABANDONED.canMoveTo(next)).isFalse();
        }
        assertThat(PUBLISHING.canMoveTo(DONE)).isTrue();
        assertThat(DONE.terminal()).isTrue();
        assertThat(ABANDONED.terminal()).isTrue();
    }

    @Test
    void aRateLimitedSubmissionGoesBackToWaitingForASlot() {
        assertThat(SUBMITTING.canMoveTo(AWAITING)).isTrue();
        assertThat(SUBMITTING.canMoveTo(BACKING_OFF)).isTrue();
        assertThat(BACKING_OFF.canMoveTo(AWAITING)).isTrue();
        assertThat(PARKED.canMoveTo(ADMITTED)).isTrue();
    }
}
